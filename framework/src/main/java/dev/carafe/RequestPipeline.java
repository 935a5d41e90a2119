package dev.carafe;

import dev.carafe.metrics.Metrics;
import dev.carafe.routing.Router;
import dev.carafe.server.Headers;
import dev.carafe.server.Request;
import dev.carafe.server.Response;
import dev.carafe.server.http1.ProtocolException;
import dev.carafe.staticfiles.FileSender;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * One request's way through an app: route it, run the route's hooks and endpoint (or the error
 * handlers), save the session, run teardown hooks, write the reply. The app's route table is fixed
 * by the time a pipeline exists, so nothing here locks or looks anything up but the route.
 */
final class RequestPipeline {
    private final App app;
    private final Router<Route> router;
    /** The hooks that apply before a route is known (and to requests that match none). */
    private final List<RouteGroup> appChain;

    RequestPipeline(App app, Router<Route> router) {
        this.app = app;
        this.router = router;
        this.appChain = List.of(app);
    }

    void handle(Request request, Response response) throws IOException {
        Context ctx = new Context(app, request);
        ctx.response = response;
        Metrics metrics = app.metrics;
        if (metrics == null) {
            serve(ctx, request, response);
            return;
        }
        long start = metrics.begin();
        try {
            serve(ctx, request, response);
        } finally {
            metrics.end(start, ctx.route == null ? Metrics.UNMATCHED : ctx.route.pattern().toString(), request.method(), response.status());
        }
    }

    private void serve(Context ctx, Request request, Response response) throws IOException {
        List<RouteGroup> chain = appChain;
        Reply reply;
        Throwable error = null;
        try {
            reply = route(ctx, request);
            if (reply == null) {
                Route route = ctx.route;
                chain = route.chain();
                reply = Dispatch.run(ctx, route);
            }
        } catch (Throwable t) {
            error = unwrap(t);
            boolean bodyBroken = error instanceof ProtocolException || ctx.bodyReadFailed() && error instanceof IOException;
            if (bodyBroken) {
                // The body broke HTTP framing or limits while the endpoint read it (a chunked body
                // past maxBodyBytes, a read timeout), or the client went away mid-body (a cancelled
                // upload): the client's doing, not a server error, and the rest of the connection
                // cannot be trusted, so answer with the status that fits and close.
                App.log().debug("Request body of {} {} unreadable: {}", request.method(), request.path(), error.toString());
                error = error instanceof ProtocolException pe ? new HttpError(pe.status(), pe.getMessage(), pe)
                        : new HttpError(400, "The request body could not be read", error);
            }
            Route route = ctx.route;
            if (route != null) chain = route.chain();
            reply = handleError(ctx, chain, error);
            if (bodyBroken) reply.header("Connection", "close");
        }
        try {
            serializeJson(reply);
        } catch (Exception e) {
            // A value the mapper cannot write (no properties, a cycle) is the app's error: handled like
            // the others, instead of failing while the response is written.
            error = e;
            reply = handleError(ctx, chain, e);
            try {
                serializeJson(reply);
            } catch (Exception again) {
                App.log().error("The error reply could not be serialized either", again);
                reply = Reply.text("Internal Server Error").status(500);
            }
        }
        if (ctx.session != null) {
            try {
                app.sessions.save(ctx.session, reply, ctx.scheme().equals("https"));
            } catch (RuntimeException e) {
                App.log().error("Could not save the session", e);
                reply = Replies.defaultError(ctx, 500, null);
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            List<Hooks.Teardown> hooks = chain.get(i).teardown;
            for (int j = hooks.size() - 1; j >= 0; j--) {
                try {
                    hooks.get(j).teardown(ctx, error);
                } catch (Exception e) {
                    App.log().error("Teardown hook failed for {} {}", request.method(), request.path(), e);
                }
            }
        }
        if (reply.file() != null) {
            try {
                reply = FileSender.negotiate(ctx, reply);
            } catch (java.nio.file.NoSuchFileException e) {
                reply = Replies.defaultError(ctx, 404, null); // deleted since the endpoint looked
            } catch (IOException e) {
                App.log().error("Cannot read {} for {} {}", reply.file().name(), request.method(), request.path(), e);
                reply = Replies.defaultError(ctx, 500, null);
            }
        }
        try {
            write(reply, response);
        } finally {
            ctx.cleanup();
        }
    }

    /** Resolves the route; returns a reply when routing alone answers (404, 405, OPTIONS, slash redirect). */
    private Reply route(Context ctx, Request request) {
        Router.Result<Route> result;
        try {
            result = router.find(request.method(), request.path());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
        if (result instanceof Router.Found<Route> found) {
            ctx.route(found.target(), found.params());
            return null;
        }
        if (result instanceof Router.MethodNotAllowed<Route> m) {
            String allow = Replies.allow(m.allowed());
            if (request.method().equals("OPTIONS")) return Reply.empty().header("Allow", allow);
            throw new MethodNotAllowed(allow);
        }
        if (result instanceof Router.AddSlash<Route>) {
            String q = request.query();
            String prefix = app.proxies().resolve(request).prefix(); // behind a proxy that mounts the app under one
            return Reply.redirect(prefix + request.path() + "/" + (q == null ? "" : "?" + q), 308);
        }
        if (request.method().equals("OPTIONS") && request.path().equals("*")) {
            return Reply.empty().header("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        }
        throw new HttpError(404);
    }

    /** A 405 that remembers the {@code Allow} header to send. */
    static final class MethodNotAllowed extends HttpError {
        final String allow;

        MethodNotAllowed(String allow) {
            super(405);
            this.allow = allow;
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Finds the handler for {@code error}: exception handlers by the most specific type (innermost
     * group first at each level of the type hierarchy), then status handlers, then the default page.
     */
    private Reply handleError(Context ctx, List<RouteGroup> chain, Throwable error) {
        ctx.resetStatus();
        try {
            for (Class<?> type = error.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (int i = chain.size() - 1; i >= 0; i--) {
                    Hooks.ErrorHandler<Throwable> h = chain.get(i).exceptionHandlers.get(type);
                    if (h != null) return Replies.from(ctx, h.handle(ctx, error));
                }
            }
            HttpError http;
            if (error instanceof HttpError he) {
                http = he;
            } else {
                App.log().error("Error handling {} {}", ctx.method(), ctx.request().path(), error);
                if (app.debug() && App.devMode() != null) return App.devMode().errorPage(ctx, error);
                http = new HttpError(500, null, error);
            }
            Reply reply = null;
            for (int i = chain.size() - 1; i >= 0 && reply == null; i--) {
                Hooks.ErrorHandler<HttpError> h = chain.get(i).statusHandlers.get(http.status());
                if (h != null) {
                    reply = Replies.from(ctx, h.handle(ctx, http));
                    if (reply.status() == 200 || reply.status() == 204 && ctx.status() == 0) reply.status(http.status());
                }
            }
            if (reply == null) reply = Replies.defaultError(ctx, http.status(), http.getMessage());
            if (http instanceof MethodNotAllowed m) reply.header("Allow", m.allow);
            return reply;
        } catch (Exception handlerFailed) {
            App.log().error("Error handler failed while handling {}", error.toString(), handlerFailed);
            return Replies.defaultError(ctx, 500, null);
        }
    }

    /** Turns a JSON reply's value into its body bytes. */
    private void serializeJson(Reply reply) throws IOException {
        if (reply.hasJson()) reply.body(app.jsonMapper().write(reply.jsonValue()));
    }

    private void write(Reply reply, Response response) throws IOException {
        if (reply.takeover() != null && reply.status() == 101) {
            copyHeaders(reply, response);
            reply.takeover().write(response);
            return;
        }
        response.status(reply.status());
        copyHeaders(reply, response);
        if (reply.hasJson()) {
            response.send(app.jsonMapper().write(reply.jsonValue()));
        } else if (reply.writer() != null) {
            if (reply.length() >= 0) response.contentLength(reply.length());
            try (OutputStream out = response.body()) {
                reply.writer().write(out);
            }
        } else {
            response.send(reply.body() == null ? EMPTY : reply.body());
        }
    }

    private static void copyHeaders(Reply reply, Response response) {
        Headers from = reply.headers(), to = response.headers();
        for (int i = 0; i < from.size(); i++) to.add(from.name(i), from.value(i));
    }

    private static final byte[] EMPTY = {};
}
