package dev.carafe.template;

import java.util.Map;

/**
 * The {@code request} variable of templates rendered with {@code ctx.render}: what a page usually
 * needs about the request, like Flask's {@code request} in Jinja.
 *
 * <pre>{@code
 * <a class="{{ request.path == '/' ? 'active' : '' }}" href="/">Home</a>
 * <input name="q" value="{{ request.args.q }}">
 * }</pre>
 *
 * @param method   e.g. {@code GET}
 * @param path     the decoded path, e.g. {@code /todos/7}
 * @param url      the full URL as the client addressed it
 * @param args     the query parameters, first value of each
 * @param endpoint the matched route's name, or {@code null}
 */
public record RequestView(String method, String path, String url, Map<String, String> args, String endpoint) {}
