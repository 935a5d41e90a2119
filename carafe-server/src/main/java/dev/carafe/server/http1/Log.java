package dev.carafe.server.http1;

/**
 * The server's logger, created on first use rather than when the server's classes load: looking
 * up the logging backend (and, in an app with SLF4J, starting it) cost ~10–40 ms of startup.
 */
public final class Log {
    private Log() {}

    /** The {@code dev.carafe.server} logger. */
    public static final System.Logger SERVER = System.getLogger("dev.carafe.server");
}
