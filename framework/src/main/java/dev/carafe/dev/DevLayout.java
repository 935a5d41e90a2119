package dev.carafe.dev;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What debug mode watches, compiles and loads: a project folder by convention
 * ({@code src/main/java}, {@code src/main/resources}, {@code pom.xml}), or one source file with
 * the folder beside it ({@code carafe dev Hello.java}).
 *
 * @param root      the folder file names are shown relative to
 * @param sources   the source folder, or the single file
 * @param resources where resources are read from live (templates/ and static/ below it)
 * @param buildFile a change to it restarts the process; null when there is none
 * @param output    the dev compiler's class output (emptied at start)
 * @param watched   folders watched recursively
 * @param classpath the compile class path
 * @param libraries the parent of every generation's class loader: the one that sees the dependencies
 */
record DevLayout(Path root, Path sources, Path resources, Path buildFile, Path output, List<Path> watched,
                 String classpath, ClassLoader libraries) {

    static DevLayout project(Path root) {
        Path sources = root.resolve("src/main/java"), resources = root.resolve("src/main/resources");
        return new DevLayout(root, sources, resources, root.resolve("pom.xml"), root.resolve("target/carafe-dev/classes"),
                List.of(sources, resources), System.getProperty("java.class.path"), DevServer.class.getClassLoader());
    }

    /** The file is the only source; templates/ and static/ beside it are watched and served live, as in Flask. */
    static DevLayout singleFile(DevServer.SingleFile app) {
        Path file = app.file().toAbsolutePath();
        Path dir = file.getParent();
        StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
        for (Path lib : app.libraries()) classpath.append(File.pathSeparator).append(lib);
        return new DevLayout(dir, file, dir, null, app.output(), List.of(dir.resolve("templates"), dir.resolve("static")),
                classpath.toString(), app.librariesLoader());
    }

    /** Files watched besides the folders: the build file, or the single source itself. */
    Set<Path> watchedFiles() {
        return buildFile == null ? Set.of(sources) : Set.of(buildFile);
    }

    /** What the " * Watching" line names (those that exist). */
    List<Path> shown() {
        return buildFile == null ? List.of(sources, watched.get(0), watched.get(1)) : List.of(sources, resources);
    }
}
