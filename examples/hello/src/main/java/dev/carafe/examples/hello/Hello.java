package dev.carafe.examples.hello;

import dev.carafe.server.AccessLog;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import java.net.BindException;
import java.time.Duration;

/** Answers {@code GET /} with {@code Hello, world!}, on the server API alone. {@code --quiet} turns the access log off. */
public final class Hello {
    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.builder()
                .port(Integer.parseInt(option(args, "--port", System.getenv().getOrDefault("PORT", "8080"))))
                .host(option(args, "--host", "127.0.0.1"))
                .accessLog(java.util.Arrays.asList(args).contains("--quiet") ? null : AccessLog.console())
                .build();
        Server server;
        try {
            server = Server.start(config, (request, response) -> {
                if (!request.path().equals("/")) {
                    response.status(404).header("Content-Type", "text/plain; charset=utf-8").send("Not Found\n");
                } else {
                    response.header("Content-Type", "text/plain; charset=utf-8").send("Hello, world!");
                }
            });
        } catch (BindException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        server.stopOnShutdown(Duration.ofSeconds(10));
        System.out.println("Running on " + server.url());
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return fallback;
    }
}
