package dev.carafe.testing;

import dev.carafe.server.Headers;
import dev.carafe.server.HttpStatus;
import dev.carafe.server.Request;
import dev.carafe.server.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/** A request and response held in memory, so the test client can call a handler without a socket. */
final class MemoryExchange {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 80);

    private final MemoryRequest request;
    private final MemoryResponse response = new MemoryResponse();

    MemoryExchange(String method, String target, Headers headers, byte[] body) {
        if (!headers.has("Host")) headers.set("Host", "localhost");
        if (body.length > 0) headers.set("Content-Length", Integer.toString(body.length));
        request = new MemoryRequest(method, target, headers, body);
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    void finish() throws IOException {
        if (response.stream != null) response.stream.close();
        response.committed = true;
    }

    int status() {
        return response.status;
    }

    Headers responseHeaders() {
        return response.headers;
    }

    /** The body as a client would see it: none for HEAD, 1xx, 204 and 304. */
    byte[] responseBody() {
        if (request.method.equals("HEAD") || HttpStatus.forbidsBody(response.status)) return new byte[0];
        return response.body.toByteArray();
    }

    private record MemoryRequest(String method, String target, Headers headers, byte[] bytes) implements Request {
        @Override public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
        @Override public String query() {
            int q = target.indexOf('?');
            return q < 0 ? null : target.substring(q + 1);
        }
        @Override public String version() { return "HTTP/1.1"; }
        @Override public long contentLength() { return bytes.length; }
        @Override public InputStream body() { return new ByteArrayInputStream(bytes); }
        @Override public InetSocketAddress remoteAddress() { return CLIENT; }
        @Override public InetSocketAddress localAddress() { return SERVER; }
    }

    private static final class MemoryResponse implements Response {
        int status = 200;
        final Headers headers = new Headers();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        OutputStream stream;
        boolean committed;

        @Override public Response status(int status) {
            check();
            this.status = status;
            return this;
        }
        @Override public int status() { return status; }
        @Override public Headers headers() { return headers; }
        @Override public Response contentLength(long length) { return this; }
        @Override public void send(byte[] bytes) throws IOException {
            check();
            body.write(bytes);
            committed = true;
        }
        @Override public OutputStream body() {
            if (stream == null) stream = new OutputStream() {
                @Override public void write(int b) { committed = true; body.write(b); }
                @Override public void write(byte[] b, int off, int len) { committed = true; body.write(b, off, len); }
            };
            return stream;
        }
        @Override public boolean committed() { return committed; }

        private void check() {
            if (committed) throw new IllegalStateException("Response already committed");
        }
    }
}
