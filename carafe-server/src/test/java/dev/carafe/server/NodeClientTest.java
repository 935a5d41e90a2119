package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Node.js's built-in {@code http} client: its llhttp parser is strict, so it refuses responses a
 * lenient client would let through (a body on a 204, a bad chunk, a length that lies).
 */
class NodeClientTest {
    /**
     * Sends the requests named on the command line one after another through a keep-alive agent
     * holding a single socket, printing one line per response: method, path, status, framing
     * fields, body, whether the socket was reused, and the socket's local port.
     */
    private static final String SCRIPT = """
            const http = require('http');
            const port = Number(process.argv[1]);
            const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
            const requests = process.argv.slice(2).map(r => r.split(' '));
            function one(i) {
              if (i === requests.length) { agent.destroy(); return; }
              const [method, path] = requests[i];
              const req = http.request({ host: '127.0.0.1', port, method, path, agent }, res => {
                let body = '';
                res.setEncoding('latin1');
                res.on('data', d => body += d);
                res.on('end', () => {
                  console.log([method, path, res.statusCode, res.headers['content-length'] ?? '-',
                    res.headers['transfer-encoding'] ?? '-',
                    body.length > 100 ? body.length + ' bytes' : JSON.stringify(body),
                    req.reusedSocket ? 'reused' : 'new', req.socket.localPort].join(' '));
                  setImmediate(() => one(i + 1)); // once the socket is back in the agent's free pool
                });
              });
              req.on('error', e => { console.log('ERROR ' + method + ' ' + path + ' ' + e.code + ' ' + e.message); process.exitCode = 1; });
              if (method === 'POST') req.write('posted body');
              req.end();
            }
            one(0);
            """;

    private static final Handler HANDLER = (req, res) -> {
        switch (req.path()) {
            case "/fixed" -> res.header("Content-Type", "text/plain").send("fixed body");
            case "/chunked" -> {
                try (OutputStream out = res.body()) {
                    for (int i = 0; i < 3; i++) {
                        out.write(("piece " + i + ";").getBytes());
                        out.flush();
                    }
                }
            }
            case "/big" -> {
                OutputStream out = res.body();
                for (int i = 0; i < 100; i++) out.write("0123456789".repeat(100).getBytes());
            }
            case "/204" -> res.status(204).send("must not be sent");
            case "/304" -> res.status(304).header("ETag", "\"x\"").send("must not be sent");
            case "/echo" -> res.send("echo " + new String(req.body().readAllBytes()));
            default -> res.status(404).send("not found");
        }
    };

    private static List<String> run(Server server, String... requests) throws Exception {
        java.util.ArrayList<String> command = new java.util.ArrayList<>(List.of("node", "-e", SCRIPT,
                String.valueOf(server.port())));
        command.addAll(List.of(requests));
        Commands.Result r = Commands.run(Duration.ofSeconds(30), command);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), r.toString());
        return List.of(r.stdout().split("\n"));
    }

    @Test
    void strictParserAcceptsEveryKindOfResponseOnOneConnection() throws Exception {
        try (Server server = TestServers.start(HANDLER)) {
            List<String> lines = run(server, "GET /fixed", "GET /chunked", "HEAD /fixed", "GET /204", "GET /304",
                    "HEAD /chunked", "POST /echo", "GET /big", "GET /missing", "GET /fixed");
            String port = lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1);
            List<String> expected = List.of(
                    "GET /fixed 200 10 - \"fixed body\" new",
                    "GET /chunked 200 - chunked \"piece 0;piece 1;piece 2;\" reused",
                    "HEAD /fixed 200 10 - \"\" reused",
                    "GET /204 204 - - \"\" reused",
                    "GET /304 304 - - \"\" reused",
                    "HEAD /chunked 200 - chunked \"\" reused",
                    "POST /echo 200 16 - \"echo posted body\" reused",
                    "GET /big 200 - chunked 100000 bytes reused",
                    "GET /missing 404 9 - \"not found\" reused",
                    "GET /fixed 200 10 - \"fixed body\" reused");
            assertEquals(expected.size(), lines.size(), String.join("\n", lines));
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i) + " " + port, lines.get(i), "response " + i + " on the same socket");
            }
        }
    }
}
