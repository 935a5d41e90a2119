package dev.carafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path tmp;

    private URLClassLoader loaderWith(String properties) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("classpath"));
        Files.writeString(dir.resolve("carafe.properties"), properties);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    }

    @Test
    void eachLayerOverridesTheOneBefore() throws IOException {
        Path file = Files.writeString(tmp.resolve("app.properties"), "FROM_FILE=file\nBOTH=file\nALL=file\n");
        try (URLClassLoader loader = loaderWith("FROM_CLASSPATH=classpath\nBOTH=classpath\nALL=classpath\n")) {
            Config config = new Config(Map.of("CARAFE_CONFIG", file.toString(), "CARAFE_ALL", "env", "PATH", "/usr/bin",
                    "CARAFE_", "ignored"), loader);
            config.setDefault("ALL", "default").setDefault("ONLY_DEFAULT", "default").setDefault("FROM_FILE", "default");
            assertEquals("env", config.get("ALL"));
            assertEquals("file", config.get("BOTH"), "the file outside the jar overrides the one inside");
            assertEquals("file", config.get("FROM_FILE"));
            assertEquals("classpath", config.get("FROM_CLASSPATH"));
            assertEquals("default", config.get("ONLY_DEFAULT"));
            assertNull(config.get("PATH"), "only CARAFE_ variables are config");
            assertNull(config.get("NOTHING"));
            assertEquals("fallback", config.get("NOTHING", "fallback"));
            assertTrue(config.has("ONLY_DEFAULT"));
            assertFalse(config.has("NOTHING"));
        }
    }

    @Test
    void typedGettersParseAndNameTheKeyWhenTheyCannot() {
        Config config = new Config(Map.of("CARAFE_N", " 42 ", "CARAFE_BIG", "9000000000", "CARAFE_YES", "On", "CARAFE_NO", "0",
                "CARAFE_BAD", "many", "CARAFE_T1", "30s", "CARAFE_T2", "500ms", "CARAFE_T3", "PT1M", "CARAFE_T4", "2d",
                "CARAFE_T5", "10 parsecs"), null);
        assertEquals(42, config.getInt("N", 0));
        assertEquals(7, config.getInt("MISSING", 7));
        assertEquals(9_000_000_000L, config.getLong("BIG", 0));
        assertTrue(config.getBoolean("YES", false));
        assertFalse(config.getBoolean("NO", true));
        assertTrue(config.getBoolean("MISSING", true));
        assertEquals(Duration.ofSeconds(30), config.getDuration("T1", null));
        assertEquals(Duration.ofMillis(500), config.getDuration("T2", null));
        assertEquals(Duration.ofMinutes(1), config.getDuration("T3", null));
        assertEquals(Duration.ofDays(2), config.getDuration("T4", null));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.getInt("BAD", 0));
        assertTrue(e.getMessage().contains("BAD=many"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> config.getBoolean("BAD", false));
        assertTrue(assertThrows(IllegalStateException.class, () -> config.getDuration("T5", null)).getMessage().contains("T5"));
    }

    @Test
    void aMissingConfigFileNamedByTheEnvironmentIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Config(Map.of("CARAFE_CONFIG", tmp.resolve("nope.properties").toString()), null));
        assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
    }

    @Test
    void theAppReadsDebugFromConfig() {
        assertTrue(new App(new Config(Map.of("CARAFE_DEBUG", "true"), null)).debug());
        assertFalse(new App(new Config(Map.of(), null)).debug());
    }
}
