package {{package}};

import dev.carafe.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drives the API in-process with Carafe's test client: no socket, no port. */
class {{Class}}Test {
    private final TestClient client = TestClient.of({{Class}}.create());

    @Test
    void createdItemsCanBeReadBack() {
        client.post("/api/items").json(Map.of("name", "tea")).send().assertStatus(201).assertBody("{\"id\":1,\"name\":\"tea\"}");
        client.get("/api/items/1").send().assertStatus(200).assertBodyContains("\"tea\"");
        client.get("/api/items").send().assertStatus(200).assertBody("[{\"id\":1,\"name\":\"tea\"}]");
    }

    @Test
    void unknownItemIsNotFound() {
        client.get("/api/items/42").send().assertStatus(404);
    }

    @Test
    void itemWithoutNameIsRefused() {
        client.post("/api/items").json(Map.of()).send().assertStatus(422);
    }
}
