/**
 * Carafe, the framework: Flask's model on Carafe's server.
 *
 * <p>Exported are the packages a user's code names: the app and its request/response types
 * ({@code dev.carafe}), cookies, forms and uploads ({@code http}), sessions and CSRF
 * ({@code session}), static files ({@code staticfiles}), SSE and WebSocket routes
 * ({@code realtime}), JSON and templates behind their interfaces, health checks ({@code health})
 * and the test client. Routing, the command line ({@code launch}), forwarded headers
 * ({@code proxy}), metrics ({@code metrics}) and debug mode ({@code dev}) are machinery: the core reaches
 * debug mode only through the {@link dev.carafe.launch.DevMode} service.
 */
module dev.carafe {
    requires transitive dev.carafe.server;
    requires transitive com.fasterxml.jackson.databind; // JacksonJsonMapper.objectMapper()
    requires com.fasterxml.jackson.datatype.jsr310;
    requires io.pebbletemplates;
    requires org.slf4j;
    requires java.compiler;   // dev mode compiles sources in-process
    requires java.management; // dev mode reports metaspace after a reload
    requires java.net.http;   // TestClient.remote

    exports dev.carafe;
    exports dev.carafe.health;
    exports dev.carafe.http;
    exports dev.carafe.json;
    exports dev.carafe.realtime;
    exports dev.carafe.session;
    exports dev.carafe.staticfiles;
    exports dev.carafe.template;
    exports dev.carafe.testing;

    uses dev.carafe.launch.DevMode;
    provides dev.carafe.launch.DevMode with dev.carafe.dev.DevModeService;
}
