package {{package}};

import dev.carafe.App;
import java.util.Map;

/**
 * The {{name}} app. {@code carafe dev} serves it on http://127.0.0.1:8080 with live reload: edit,
 * save, refresh.
 */
public final class {{Class}} {
    private {{Class}}() {}

    /** Builds the app with its routes; the tests call this too. */
    public static App create() {
        var app = new App();
        // an HTML page from src/main/resources/templates/index.html
        app.get("/", ctx -> ctx.render("index.html", Map.of("name", "{{name}}")));
        // a record, map or list becomes JSON: {"message":"Hello, ada!"}
        app.get("/hello/{name}", ctx -> new Greeting("Hello, " + ctx.pathParam("name") + "!")).name("hello");
        return app;
    }

    record Greeting(String message) {}

    public static void main(String[] args) {
        create().run(args); // --port N, --host H, --debug (carafe dev), --routes
    }
}
