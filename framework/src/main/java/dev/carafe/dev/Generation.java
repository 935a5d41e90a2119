package dev.carafe.dev;

import dev.carafe.App;
import dev.carafe.server.Handler;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded version of the app: its class loader, its {@link App} and the requests running in it.
 * A retired generation finishes those requests (bounded wait), runs the app's stop hooks and lets
 * go of its loader so the old classes can be collected.
 */
final class Generation {
    final int number;
    final App app;
    final Handler handler;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final WeakReference<ClassLoader> loader;

    Generation(int number, App app, ClassLoader loader) {
        this.number = number;
        this.app = app;
        this.handler = app.handler();
        this.loader = new WeakReference<>(loader);
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void exit() {
        inFlight.decrementAndGet();
    }

    /** Waits up to {@code millis} for requests in flight, then stops the app. */
    void retire(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
    }

    /** The loader while it is still reachable; {@code null} once collected. */
    WeakReference<ClassLoader> loaderRef() {
        return loader;
    }
}
