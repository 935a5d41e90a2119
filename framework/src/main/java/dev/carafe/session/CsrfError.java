package dev.carafe.session;

import dev.carafe.HttpError;

/**
 * A state-changing request without a valid CSRF token (see {@link App#enableCsrf()}): a
 * {@code 400}. Handle it like any exception to show a friendlier page:
 *
 * <pre>{@code
 * app.exception(CsrfError.class, (ctx, e) -> ctx.render("expired.html", Map.of()).status(400));
 * }</pre>
 */
public final class CsrfError extends HttpError {
    public CsrfError() {
        super(400, "CSRF token missing or invalid");
    }
}
