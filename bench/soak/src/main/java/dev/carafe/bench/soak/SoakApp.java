package dev.carafe.bench.soak;

import dev.carafe.App;
import dev.carafe.http.UploadedFile;
import dev.carafe.server.websocket.Message;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * The app the soak drives, one endpoint per kind of traffic:
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!};</li>
 *   <li>{@code POST /json}: an {@link Order} in, the same order with its total out;</li>
 *   <li>{@code POST /upload}: a multipart form with a {@code file}; answers {@code SIZE CRC32};</li>
 *   <li>{@code GET /sse/ticks?n=N}: N {@code tick} events 20 ms apart with ids 1..N, then the stream ends;</li>
 *   <li>{@code /ws/echo}: a WebSocket echoing every text and binary message.</li>
 * </ul>
 */
public final class SoakApp {
    private SoakApp() {}

    /** A line of an order. */
    public record Line(String sku, int quantity, long cents) {}

    /** An order; the server fills in {@code total}. */
    public record Order(String id, java.util.List<Line> lines, long total) {}

    public static void main(String[] args) {
        create().run(args);
    }

    static App create() {
        App app = new App();
        app.get("/plaintext", ctx -> "Hello, World!");
        app.post("/json", ctx -> {
            Order o = ctx.bodyAs(Order.class);
            long total = o.lines().stream().mapToLong(l -> l.quantity() * l.cents()).sum();
            return new Order(o.id(), o.lines(), total);
        });
        app.post("/upload", ctx -> {
            UploadedFile file = ctx.file("file");
            if (file == null) throw ctx.abort(400, "no file");
            CRC32 crc = new CRC32();
            try (InputStream in = file.open()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
            }
            return file.size() + " " + Long.toHexString(crc.getValue());
        });
        app.sse("/sse/ticks", client -> {
            int n = Integer.parseInt(client.context().query("n", "10"));
            for (int i = 1; i <= n && client.isOpen(); i++) {
                client.send("tick", "tick " + i, Integer.toString(i));
                Thread.sleep(20);
            }
            client.close();
        });
        app.ws("/ws/echo", ws -> {
            for (Message m; (m = ws.receive()) != null; ) {
                if (m.isText()) ws.send(m.text());
                else ws.send(m.bytes());
            }
        });
        return app;
    }
}
