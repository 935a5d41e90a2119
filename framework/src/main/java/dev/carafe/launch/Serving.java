package dev.carafe.launch;

import dev.carafe.Config;
import dev.carafe.http.Forms;
import dev.carafe.server.AccessLog;
import dev.carafe.server.Server;
import dev.carafe.server.ServerConfig;
import dev.carafe.server.tls.Tls;
import java.time.Duration;

/** How {@code App.run} turns the command line and the config into a running, stoppable server. */
public final class Serving {
    private Serving() {}

    /**
     * The server settings for {@code opts} and {@code config}: host, port, body limit, TLS, and the
     * access log ({@code --log-format} or {@code LOG_FORMAT}: {@code text} or {@code json};
     * {@code ACCESS_LOG=false} turns it off).
     */
    public static ServerConfig serverConfig(Options opts, Config config) throws java.io.IOException {
        // Unless MAX_CONTENT_LENGTH says otherwise, the whole-body limit leaves room for the largest
        // upload MAX_UPLOAD_BYTES allows, plus the form's text fields.
        long formRoom = Forms.maxFormBytes(config);
        ServerConfig.Builder server = ServerConfig.builder().host(opts.host()).port(opts.port())
                .maxBodyBytes(config.getLong("MAX_CONTENT_LENGTH", Math.max(ServerConfig.defaults().maxBodyBytes(), formRoom)));
        String format = opts.logFormat() != null ? opts.logFormat() : config.get("LOG_FORMAT", "text");
        if (!format.equals("text") && !format.equals("json")) throw new IllegalArgumentException("LOG_FORMAT must be text or json: " + format);
        server.accessLog(format.equals("json") ? AccessLog.json(System.err) : AccessLog.console());
        if (config.has("ACCESS_LOG") && !config.getBoolean("ACCESS_LOG", true)) server.accessLog(null);
        if (opts.tls()) server.tls(Tls.selfSigned()); // --tls: the development certificate for localhost
        config.getDuration("DRAIN_DELAY", Duration.ZERO); // a bad value fails here, before the port opens, not at SIGTERM
        config.getInt("SHUTDOWN_GRACE_SECONDS", 10);
        return server.build();
    }

    /**
     * On SIGTERM or Ctrl-C, in one hook and in this order: the server drains for
     * {@code DRAIN_DELAY} (readiness already false), stops within {@code SHUTDOWN_GRACE_SECONDS},
     * then {@code afterStop} runs (the app's stop hooks). Two hooks would run at once, closing a
     * pool under requests still in flight.
     */
    public static void stopOnShutdown(Server server, Config config, Runnable afterStop) {
        Duration drain = config.getDuration("DRAIN_DELAY", Duration.ZERO);
        Duration grace = Duration.ofSeconds(config.getInt("SHUTDOWN_GRACE_SECONDS", 10));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(drain, grace);
            afterStop.run();
        }, "carafe-shutdown"));
    }
}
