package dev.carafe.testing;

import dev.carafe.json.JacksonJsonMapper;
import dev.carafe.server.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A request being built by a {@link TestClient}; {@link #send()} performs it. */
public final class TestRequest {
    private final TestClient client;
    final String method;
    final String target;
    final Headers headers = new Headers();
    byte[] body = new byte[0];
    private StringBuilder form;
    private ByteArrayOutputStream multipart;
    private final String boundary = "carafe-" + UUID.randomUUID();

    TestRequest(TestClient client, String method, String target) {
        this.client = client;
        this.method = method;
        this.target = target;
    }

    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** Sends {@code Accept: application/json}. */
    public TestRequest acceptJson() {
        return header("Accept", "application/json");
    }

    /** A raw body with its content type. */
    public TestRequest body(byte[] bytes, String contentType) {
        body = bytes;
        headers.set("Content-Type", contentType);
        return this;
    }

    /** A text body with its content type. */
    public TestRequest body(String text, String contentType) {
        return body(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /** {@code value} serialized as a JSON body. */
    public TestRequest json(Object value) {
        try {
            return body(new JacksonJsonMapper().write(value), "application/json");
        } catch (IOException e) {
            throw TestResponse.unchecked(e);
        }
    }

    /** Adds a urlencoded form field (or a multipart one, once a file was added). */
    public TestRequest form(String name, String value) {
        if (multipart != null) {
            part("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n", value.getBytes(StandardCharsets.UTF_8));
            return this;
        }
        if (form == null) form = new StringBuilder();
        form.append(form.isEmpty() ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        return body(form.toString(), "application/x-www-form-urlencoded");
    }

    /** Adds a file; the request becomes {@code multipart/form-data} (fields added so far move along). */
    public TestRequest file(String field, String filename, String contentType, byte[] content) {
        if (multipart == null) {
            multipart = new ByteArrayOutputStream();
            String fields = form == null ? "" : form.toString();
            form = null;
            for (String pair : fields.split("&")) {
                if (pair.isEmpty()) continue;
                String[] kv = pair.split("=", 2);
                form(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        part("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\nContent-Type: "
                + contentType + "\r\n\r\n", content);
        return this;
    }

    private void part(String head, byte[] content) {
        multipart.writeBytes(("--" + boundary + "\r\n" + head).getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(content);
        multipart.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = multipart.toByteArray();
        byte[] withEnd = java.util.Arrays.copyOf(all, all.length + end.length);
        System.arraycopy(end, 0, withEnd, all.length, end.length);
        body(withEnd, "multipart/form-data; boundary=" + boundary);
    }

    /** Performs the request. */
    public TestResponse send() {
        return client.execute(this);
    }
}
