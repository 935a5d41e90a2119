package dev.carafe.server;

import java.io.IOException;

/** Starts servers for tests: loopback, an ephemeral port, no access log. */
final class TestServers {
    private TestServers() {}

    static ServerConfig.Builder config() {
        return ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null);
    }

    static Server start(Handler handler) throws IOException {
        return Server.start(config().build(), handler);
    }

    static Server start(ServerConfig.Builder config, Handler handler) throws IOException {
        return Server.start(config.build(), handler);
    }
}
