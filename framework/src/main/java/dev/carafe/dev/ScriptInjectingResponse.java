package dev.carafe.dev;

import dev.carafe.server.Headers;
import dev.carafe.server.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Adds the live-reload script to HTML pages sent whole; everything else passes through untouched. */
final class ScriptInjectingResponse implements Response {
    private final Response delegate;
    private final byte[] script;

    ScriptInjectingResponse(Response delegate, byte[] script) {
        this.delegate = delegate;
        this.script = script;
    }

    @Override
    public void send(byte[] body) throws IOException {
        String type = delegate.headers().get("Content-Type");
        if (type == null || !type.startsWith("text/html") || delegate.status() != 200 && delegate.status() < 400) {
            delegate.send(body);
            return;
        }
        String html = new String(body, StandardCharsets.UTF_8);
        int at = html.toLowerCase(java.util.Locale.ROOT).lastIndexOf("</body>");
        String tag = new String(script, StandardCharsets.UTF_8);
        delegate.send((at < 0 ? html + tag : html.substring(0, at) + tag + html.substring(at)).getBytes(StandardCharsets.UTF_8));
    }

    @Override public Response status(int status) { delegate.status(status); return this; }
    @Override public int status() { return delegate.status(); }
    @Override public Headers headers() { return delegate.headers(); }
    @Override public Response contentLength(long length) { delegate.contentLength(length); return this; }
    @Override public OutputStream body() throws IOException { return delegate.body(); }
    @Override public boolean committed() { return delegate.committed(); }
}
