package {{package}};

import dev.carafe.testing.TestClient;
import org.junit.jupiter.api.Test;

/** Drives the app in-process with Carafe's test client: no socket, no port. */
class {{Class}}Test {
    private final TestClient client = TestClient.of({{Class}}.create());

    @Test
    void homePageRendersTheTemplate() {
        client.get("/").send().assertStatus(200).assertContentType("text/html").assertBodyContains("Welcome to {{name}}");
    }

    @Test
    void helloGreetsByName() {
        client.get("/hello/ada").send().assertStatus(200).assertBody("{\"message\":\"Hello, ada!\"}");
    }

    @Test
    void styleSheetIsServed() {
        client.get("/static/style.css").send().assertStatus(200).assertContentType("text/css");
    }
}
