package dev.carafe.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of docs/architecture.md, checked on the sources: the core never names its
 * tools, the root package holds only the API a first app types, each module exports exactly its
 * public packages, and no file grows past what one sitting can read.
 */
class ArchitectureTest {
    private static final Path FRAMEWORK = Path.of("src/main/java");
    private static final Path SERVER = Path.of("../carafe-server/src/main/java");
    private static final Pattern NAMES_TOOLS = Pattern.compile("\\bdev\\.carafe\\.(dev|testing)\\b");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public (?:(?:final|abstract|sealed|non-sealed) )*(?:class|interface|record|enum|@interface) (\\w+)");
    private static final Pattern EXPORTS = Pattern.compile("(?m)^\\s*exports ([\\w.]+);");

    @Test
    void theCoreDependsOnNeitherDevModeNorTheTestClient() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles(FRAMEWORK.resolve("dev/carafe"))) {
            String pkg = FRAMEWORK.relativize(file.getParent()).toString().replace('/', '.');
            if (pkg.equals("dev.carafe.dev") || pkg.equals("dev.carafe.testing")) continue;
            Matcher m = NAMES_TOOLS.matcher(withoutComments(Files.readString(file)));
            if (m.find()) offenders.add(FRAMEWORK.relativize(file) + " names " + m.group());
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void theRootPackageHoldsOnlyWhatAFirstAppTypes() throws IOException {
        Set<String> publicTypes = new TreeSet<>();
        try (Stream<Path> files = Files.list(FRAMEWORK.resolve("dev/carafe"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = PUBLIC_TYPE.matcher(Files.readString(file));
                if (m.find()) publicTypes.add(m.group(1));
            }
        }
        assertEquals(new TreeSet<>(Set.of("App", "Blueprint", "Config", "Context", "Endpoint", "Hooks", "HttpError",
                "Reply", "RouteGroup", "RouteSpec")), publicTypes);
    }

    @Test
    void eachModuleExportsThePackagesWithPublicApiAndNothingElse() throws IOException {
        assertEquals(Set.of("dev.carafe", "dev.carafe.health", "dev.carafe.http", "dev.carafe.json", "dev.carafe.realtime",
                "dev.carafe.session", "dev.carafe.staticfiles", "dev.carafe.template", "dev.carafe.testing"), exports(FRAMEWORK));
        assertEquals(Set.of("dev.carafe.server", "dev.carafe.server.tls", "dev.carafe.server.websocket"), exports(SERVER));
    }

    @Test
    void noSourceFileIsLongerThanOneSitting() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (Path root : List.of(FRAMEWORK, SERVER)) {
            for (Path file : javaFiles(root)) {
                long lines = Files.readAllLines(file).size();
                if (lines > MAX_LINES) long_.add(root.relativize(file) + ": " + lines + " lines");
            }
        }
        assertEquals(List.of(), long_, "split these where a second concept hides inside");
    }

    /** About 400 lines, with a little slack for a file that has one more method to explain. */
    private static final int MAX_LINES = 450;

    /** The packages a module-info exports to everyone (qualified exports are not public API). */
    private static Set<String> exports(Path root) throws IOException {
        Set<String> out = new TreeSet<>();
        Matcher m = EXPORTS.matcher(withoutComments(Files.readString(root.resolve("module-info.java"))));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }
}
