package dev.carafe.server.http2;

import dev.carafe.server.AccessLog;
import dev.carafe.server.Handler;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.http1.Log;
import java.io.IOException;

/** One request on one stream, run on the stream's own virtual thread: the handler, then the end of the stream. */
final class StreamExchange implements Runnable {
    private final Streams conn;
    private final Http2Stream stream;
    private final Handler handler;
    private final ServerConfig config;

    StreamExchange(Streams conn, Http2Stream stream, Handler handler, ServerConfig config) {
        this.conn = conn;
        this.stream = stream;
        this.handler = handler;
        this.config = config;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        Http2Request req = stream.request;
        Http2Response res = new Http2Response(conn, stream, req.method().equals("HEAD"));
        try {
            handler.handle(req, res);
            res.finish();
        } catch (Throwable t) {
            recover(t, req, res);
        } finally {
            stream.onServerStop = null;
            log(req, res, started);
            conn.streamDone(stream);
        }
    }

    private void recover(Throwable t, Http2Request req, Http2Response res) {
        if (t instanceof BodyTooLargeException && !res.committed()) {
            answer(res, 413, t.getMessage());
            return;
        }
        if (stream.isReset() || t instanceof Http2Stream.StreamResetException) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Stream " + stream.id + " of " + req + " ended early: " + t);
            return;
        }
        if (t instanceof java.net.SocketTimeoutException) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Stream " + stream.id + " of " + req + " timed out: " + t.getMessage());
            if (!res.committed()) answer(res, 408, t.getMessage());
            else conn.cancel(stream); // the client stopped taking the response
        }
        Log.SERVER.log(System.Logger.Level.ERROR, "Error handling " + req + " from " + req.remoteAddress(), t);
        if (!res.committed()) answer(res, 500, null);
    }

    private void answer(Http2Response res, int status, String message) {
        try {
            res.sendError(status, message);
        } catch (IOException | RuntimeException e) {
            Log.SERVER.log(System.Logger.Level.DEBUG, () -> "Could not answer " + status + " on stream " + stream.id + ": " + e);
        }
    }

    private void log(Http2Request req, Http2Response res, long started) {
        AccessLog log = config.accessLog();
        if (log == null) return;
        try {
            log.log(req, res.status(), res.bytesSent(), System.nanoTime() - started);
        } catch (RuntimeException e) {
            Log.SERVER.log(System.Logger.Level.ERROR, "The access log failed", e);
        }
    }
}
