package dev.carafe.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void deploymentOptions() {
        Options o = Options.parse(new String[] {"--port", "9000", "--trust-proxy", "2", "--log-format", "json"}, Map.of());
        assertEquals(9000, o.port());
        assertEquals(2, o.trustProxy());
        assertEquals("json", o.logFormat());
        Options eq = Options.parse(new String[] {"--trust-proxy=0", "--log-format=text"}, Map.of());
        assertEquals(0, eq.trustProxy());
        assertEquals("text", eq.logFormat());
        Options none = Options.parse(new String[] {}, Map.of());
        assertEquals(-1, none.trustProxy(), "not given: the config's TRUST_PROXY decides");
        assertNull(none.logFormat());
    }

    @Test
    void badValuesSayWhatIsExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--trust-proxy", "many"}, Map.of()));
        assertTrue(e.getMessage().contains("0 to 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--trust-proxy", "-1"}, Map.of()));
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--log-format", "xml"}, Map.of()));
        assertTrue(e.getMessage().contains("text or json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--trust-proxy"}, Map.of()));
    }
}
