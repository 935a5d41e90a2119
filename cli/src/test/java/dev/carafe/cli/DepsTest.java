package dev.carafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DepsTest {
    private static final Path FILE = Path.of("/tmp/Hello.java");

    @Test
    void readsEveryDepsLineOnce() {
        List<String> lines = List.of("//DEPS com.google.guava:guava:33.4.0-jre", "import x;",
                "  //DEPS org.xerial:sqlite-jdbc:3.47.1.0, com.h2database:h2:2.3.232 net.java.dev.jna:jna:5.15.0:jpms",
                "//DEPS com.google.guava:guava:33.4.0-jre", "//DEPSX not one", "// DEPS not one either");
        assertEquals(List.of("com.google.guava:guava:33.4.0-jre", "org.xerial:sqlite-jdbc:3.47.1.0", "com.h2database:h2:2.3.232",
                "net.java.dev.jna:jna:5.15.0:jpms"), Deps.parse(FILE, lines));
        assertEquals(List.of(), Deps.parse(FILE, List.of("class Hello {}")));
    }

    @Test
    void aMalformedCoordinateNamesTheLine() {
        CliError e = assertThrows(CliError.class, () -> Deps.parse(FILE, List.of("", "//DEPS guava:33.4.0")));
        assertEquals("Hello.java:2: 'guava:33.4.0' is not a Maven coordinate; write //DEPS group:artifact:version"
                + " (e.g. com.google.guava:guava:33.4.0-jre)", e.getMessage());
        CliError empty = assertThrows(CliError.class, () -> Deps.parse(FILE, List.of("//DEPS")));
        assertEquals("Hello.java:1: //DEPS names no dependency; write //DEPS group:artifact:version", empty.getMessage());
    }

    @Test
    void throwAwayPomListsTheCoordinates() {
        String pom = Deps.pom(List.of("a.b:c:1.0", "d:e:2:tests", "f:g:"), "");
        assertTrue(pom.contains("<groupId>a.b</groupId><artifactId>c</artifactId><version>1.0</version></dependency>"), pom);
        assertTrue(pom.contains("<artifactId>e</artifactId><version>2</version><classifier>tests</classifier>"), pom);
        assertTrue(pom.contains("<artifactId>g</artifactId></dependency>"), pom); // version from a BOM
    }

    @Test
    void cacheKeysDifferWithTheLines() {
        assertEquals(24, Deps.hash("x").length());
        assertTrue(!Deps.hash("a:b:1").equals(Deps.hash("a:b:2")));
    }
}
