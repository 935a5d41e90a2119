package dev.carafe.cli;

import dev.carafe.dev.DevServer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The one place the CLI touches the framework: it tells debug mode to watch a single file. Kept
 * apart so that commands other than {@code carafe dev FILE.java} never load a framework class.
 */
final class DevMode {
    private DevMode() {}

    static void watch(Path file, String mainClass, Path output, List<Path> libraries, ClassLoader librariesLoader,
                      BooleanSupplier dependenciesChanged) {
        DevServer.watchSingleFile(new DevServer.SingleFile(file, mainClass, output, libraries, librariesLoader, dependenciesChanged));
    }
}
