package dev.carafe;

/**
 * What a route runs: Flask's view function. It reads the request through the {@link Context}
 * and returns the response the way Flask views do:
 * <ul>
 *   <li>a {@code String}: an HTML page ({@code text/html; charset=utf-8});</li>
 *   <li>a record, {@code Map}, {@code List}, number or boolean: JSON;</li>
 *   <li>a {@code byte[]}: binary ({@code application/octet-stream});</li>
 *   <li>a {@link Reply}: full control of status, headers, cookies and body;</li>
 *   <li>an {@code Optional}: its value, or {@code 404} when empty;</li>
 *   <li>a {@code CompletionStage}: its result once complete;</li>
 *   <li>{@code null} or the context itself: an empty body ({@code 204} unless a status was set).</li>
 * </ul>
 *
 * <pre>{@code
 * app.get("/users/{id:int}", ctx -> users.find(ctx.pathParam("id", Integer.class)));
 * }</pre>
 */
@FunctionalInterface
public interface Endpoint {
    Object handle(Context ctx) throws Exception;
}
