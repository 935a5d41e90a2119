package {{package}};

import dev.carafe.App;

/** The {{name}} app: one route. {@code carafe dev} serves it on http://127.0.0.1:8080 with live reload. */
public final class {{Class}} {
    private {{Class}}() {}

    public static App create() {
        var app = new App();
        app.get("/", ctx -> "Hello, world!");
        return app;
    }

    public static void main(String[] args) {
        create().run(args);
    }
}
