package dev.carafe.examples.hello;

import dev.carafe.App;

/** The smallest Carafe app: {@code GET /} answers {@code Hello, world!}. */
public final class Hello {
    public static void main(String[] args) {
        var app = new App();
        app.get("/", ctx -> "Hello, world!");
        app.run(args);
    }
}
