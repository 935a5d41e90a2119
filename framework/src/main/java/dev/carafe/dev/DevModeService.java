package dev.carafe.dev;

import dev.carafe.App;
import dev.carafe.Context;
import dev.carafe.Reply;
import dev.carafe.launch.DevMode;
import dev.carafe.launch.Options;

/** Debug mode as the core sees it ({@link DevMode}): registered as a service in {@code META-INF/services}. */
public final class DevModeService implements DevMode {
    @Override
    public boolean adopt(App app) {
        return DevServer.adopt(app);
    }

    @Override
    public boolean start(App app, String[] args, Options options) {
        return DevServer.start(app, args, options.host(), options.port(), options.hostGiven(), options.tls());
    }

    @Override
    public Reply errorPage(Context ctx, Throwable error) {
        return DebugPage.render(ctx, error);
    }
}
