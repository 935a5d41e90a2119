package dev.carafe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NewProjectTest {

    @Test
    void namesBecomePackageAndClass() {
        assertEquals("demo", NewProject.packageName("demo"));
        assertEquals("myapp", NewProject.packageName("My-App"));
        assertEquals("newapp", NewProject.packageName("new"));
        assertEquals("DemoApp", NewProject.className("demo"));
        assertEquals("MyApp", NewProject.className("my-app"));
        assertEquals("TodoServiceApp", NewProject.className("todo_service"));
    }

    /**
     * The new project's pom pins the plugin versions the framework's own build uses, so a project
     * builds from what the local repository already holds (offline after the first build).
     */
    @Test
    void templatePluginVersionsAreTheBuildsOwn() throws IOException {
        Map<String, String> build = pluginVersions(Files.readString(Path.of("../pom.xml")));
        Map<String, String> template;
        try (var in = NewProject.class.getResourceAsStream("templates/common/pom.xml")) {
            template = pluginVersions(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(template.size() >= 7, template.toString());
        template.forEach((plugin, version) -> assertEquals(build.get(plugin), version, plugin + " in the template vs ../pom.xml"));
    }

    private static Map<String, String> pluginVersions(String pom) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<artifactId>(maven-[a-z-]+-plugin)</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }
}
