package dev.carafe.dev;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one generation of the app: child-first for the project's own classes (those
 * compiled into the dev output folder) and resources (read from the source folder, so edits show
 * at once), parent-first for everything else — the JDK, dependencies and Carafe itself, so the
 * supervisor and every generation share one {@code App} type. Dropped after the generation
 * retires, which lets the old classes be collected.
 */
final class GenerationLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Path classes;
    private final List<Path> resourceRoots;

    GenerationLoader(int generation, Path classes, List<Path> resourceRoots, ClassLoader parent) {
        super("carafe-generation-" + generation, parent);
        this.classes = classes;
        this.resourceRoots = resourceRoots;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                Path file = classes.resolve(name.replace('.', '/') + ".class");
                if (Files.isRegularFile(file)) {
                    try {
                        byte[] bytes = Files.readAllBytes(file);
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                } else {
                    return super.loadClass(name, resolve);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    protected URL findResource(String name) {
        for (Path root : resourceRoots) {
            Path p = root.resolve(name).normalize();
            if (p.startsWith(root) && Files.exists(p)) {
                try {
                    return p.toUri().toURL();
                } catch (MalformedURLException e) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL own = findResource(name);
        return own == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(own));
    }
}
