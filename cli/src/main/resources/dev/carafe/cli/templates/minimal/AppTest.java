package {{package}};

import org.junit.jupiter.api.Test;

class {{Class}}Test {
    @Test
    void saysHello() {
        {{Class}}.create().test().get("/").send().assertStatus(200).assertBody("Hello, world!");
    }
}
