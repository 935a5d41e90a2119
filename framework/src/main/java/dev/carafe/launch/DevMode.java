package dev.carafe.launch;

import dev.carafe.App;
import dev.carafe.Context;
import dev.carafe.Reply;
import java.util.ServiceLoader;

/**
 * The seam through which the core reaches debug mode's tools without depending on them: the
 * reloading supervisor and the debug error page live in {@code dev.carafe.dev}, which implements
 * this interface and registers it as a service. {@link App#run} and the request pipeline look it up
 * only when debug mode is on, so an app in production never loads the package.
 */
public interface DevMode {
    /**
     * Called by {@link App#run} inside a reload: hands {@code app} to the running supervisor instead
     * of starting a second server. Returns false outside a reload.
     */
    boolean adopt(App app);

    /**
     * Starts the reloading supervisor for {@code app} (the one {@code main} built at launch) on
     * {@code options}' address. Returns false, after saying why, when there is nothing to watch;
     * the caller then serves the app normally with debug pages only.
     */
    boolean start(App app, String[] args, Options options);

    /** The debug page for {@code error}: the traceback with the source of the app's frames. */
    Reply errorPage(Context ctx, Throwable error);

    /** The dev mode on the class path, or {@code null} when there is none (a trimmed runtime). */
    static DevMode find() {
        return ServiceLoader.load(DevMode.class, DevMode.class.getClassLoader()).findFirst().orElse(null);
    }
}
