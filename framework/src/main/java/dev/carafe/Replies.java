package dev.carafe;

import dev.carafe.server.Headers;
import dev.carafe.server.HttpStatus;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Turns what endpoints and handlers return into {@link Reply}s, and errors into error pages. */
final class Replies {
    private Replies() {}

    /** Converts an endpoint's return value (see {@link Endpoint}) and applies the context's status and headers. */
    static Reply from(Context ctx, Object result) throws Exception {
        Reply reply;
        boolean converted = true;
        if (result instanceof Reply r) {
            reply = r;
            converted = false;
        } else if (result == null || result == ctx) {
            reply = Reply.empty();
            if (ctx.status() != 0) reply.status(ctx.status());
        } else if (result instanceof CharSequence s) {
            reply = Reply.html(s.toString());
        } else if (result instanceof byte[] b) {
            reply = Reply.bytes(b, "application/octet-stream");
        } else if (result instanceof Optional<?> o) {
            if (o.isEmpty()) throw new HttpError(404);
            return from(ctx, o.get());
        } else if (result instanceof CompletionStage<?> stage) {
            return from(ctx, await(ctx, stage));
        } else if (result instanceof InputStream in) {
            reply = Reply.stream("application/octet-stream", out -> {
                try (in) {
                    in.transferTo(out);
                }
            });
        } else {
            reply = Reply.json(result);
        }
        if (converted && ctx.status() != 0) reply.status(ctx.status());
        Headers pending = ctx.pendingHeaders();
        if (pending != null) {
            Headers target = reply.headers();
            for (int i = 0; i < pending.size(); i++) {
                String name = pending.name(i);
                if (name.equalsIgnoreCase("Set-Cookie")) target.add(name, pending.value(i));
                else if (!target.has(name)) target.add(name, pending.value(i));
            }
        }
        return reply;
    }

    /** Waits for an asynchronous result on this (virtual) thread, bounded by {@code ASYNC_TIMEOUT}. */
    private static Object await(Context ctx, CompletionStage<?> stage) throws Exception {
        long timeout = ctx.app().config().getDuration("ASYNC_TIMEOUT", java.time.Duration.ofSeconds(30)).toMillis();
        java.util.concurrent.CompletableFuture<?> future = stage.toCompletableFuture();
        try {
            return future.get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            future.cancel(true); // nobody will read the result: let the work see it is abandoned
            int status = ctx.app().config().getInt("ASYNC_TIMEOUT_STATUS", 503);
            throw new HttpError(status, "The request took too long to complete");
        }
    }

    /** Whether the client prefers JSON to HTML, judged from its {@code Accept} header. */
    static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        if (accept == null) return false;
        int json = accept.indexOf("application/json");
        int html = accept.indexOf("text/html");
        return json >= 0 && (html < 0 || json < html);
    }

    /** The default error page: JSON for API clients, a small HTML page for everyone else. */
    static Reply defaultError(Context ctx, int status, String message) {
        String reason = HttpStatus.reason(status);
        if (wantsJson(ctx)) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("status", status);
            body.put("error", reason);
            if (message != null && !message.equals(reason)) body.put("message", message);
            return Reply.json(body).status(status);
        }
        String text = message == null || message.equals(reason) ? describe(status) : message;
        return Reply.html("<!doctype html>\n<html lang=\"en\">\n<title>" + status + " " + escape(reason) + "</title>\n<h1>"
                + escape(reason) + "</h1>\n<p>" + escape(text) + "</p>\n</html>\n").status(status);
    }

    private static String describe(int status) {
        return switch (status) {
            case 404 -> "The requested URL was not found on the server.";
            case 405 -> "The method is not allowed for the requested URL.";
            case 500 -> "The server encountered an internal error and was unable to complete your request.";
            default -> HttpStatus.reason(status) + ".";
        };
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code Allow} header value for a set of methods: adds HEAD with GET, and OPTIONS. */
    static String allow(java.util.Collection<String> methods) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(methods);
        if (all.contains("GET")) all.add("HEAD");
        all.add("OPTIONS");
        return String.join(", ", all);
    }
}
