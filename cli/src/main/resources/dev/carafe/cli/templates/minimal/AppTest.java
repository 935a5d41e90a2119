package {{package}};

import dev.carafe.testing.TestClient;
import org.junit.jupiter.api.Test;

class {{Class}}Test {
    @Test
    void saysHello() {
        TestClient.of({{Class}}.create()).get("/").send().assertStatus(200).assertBody("Hello, world!");
    }
}
