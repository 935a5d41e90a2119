package dev.carafe;

/** The request-lifecycle callbacks an app or blueprint can register, as in Flask. */
public final class Hooks {
    private Hooks() {}

    /**
     * Runs before the endpoint. Returning non-null ends the request with that value (a login check
     * returns a redirect); returning {@code null} continues.
     */
    @FunctionalInterface
    public interface Before {
        Object before(Context ctx) throws Exception;
    }

    /** Runs after the endpoint with the reply about to be sent; returns it, changed or replaced. */
    @FunctionalInterface
    public interface After {
        Reply after(Context ctx, Reply reply) throws Exception;
    }

    /** Always runs last, even after an error; {@code error} is the exception, or {@code null}. */
    @FunctionalInterface
    public interface Teardown {
        void teardown(Context ctx, Throwable error) throws Exception;
    }

    /** Turns an exception of type {@code E} into a response value (like an endpoint's). */
    @FunctionalInterface
    public interface ErrorHandler<E extends Throwable> {
        Object handle(Context ctx, E error) throws Exception;
    }
}
