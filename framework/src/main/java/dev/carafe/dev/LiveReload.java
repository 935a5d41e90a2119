package dev.carafe.dev;

import dev.carafe.server.Request;
import dev.carafe.server.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Makes open pages refresh themselves after a reload, like LiveReload: HTML pages get a small
 * script that listens on a server-sent-events stream, and every reload (or error page) sends an
 * event. After a process restart the browser reconnects by itself and sees a new instance id.
 */
final class LiveReload {
    static final String PREFIX = "/__carafe/";
    private static final String EVENTS = PREFIX + "events";
    private static final long HEARTBEAT_SECONDS = 15;

    /** Distinguishes this process from the next after a restart. */
    private final String instance = Long.toString(System.currentTimeMillis(), 36);
    private final List<BlockingQueue<Integer>> clients = new CopyOnWriteArrayList<>();
    private final byte[] script = ("<script>/* carafe live reload */(function(){if(!window.EventSource)return;"
            + "var first=null,es=new EventSource('" + EVENTS + "');"
            + "es.addEventListener('hello',function(e){if(first===null)first=e.data;else if(e.data!==first)location.reload();});"
            + "es.addEventListener('reload',function(){location.reload();});})();</script>")
            .getBytes(StandardCharsets.UTF_8);

    byte[] script() {
        return script;
    }

    /** Tells every open page to reload. */
    void reload(int generation) {
        for (BlockingQueue<Integer> q : clients) q.offer(generation);
    }

    int clients() {
        return clients.size();
    }

    void handle(Request request, Response response) throws IOException {
        if (!request.path().equals(EVENTS)) {
            response.status(404).header("Content-Type", "text/plain").send("Not Found");
            return;
        }
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        clients.add(queue);
        try (OutputStream out = response.header("Content-Type", "text/event-stream")
                .header("Cache-Control", "no-cache").body()) {
            write(out, "retry: 300\nevent: hello\ndata: " + instance + "\n\n");
            while (true) {
                Integer next = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                write(out, next == null ? ": heartbeat\n\n" : "event: reload\ndata: " + next + "\n\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the page was closed or reloaded
        } finally {
            clients.remove(queue);
        }
    }

    private static void write(OutputStream out, String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
