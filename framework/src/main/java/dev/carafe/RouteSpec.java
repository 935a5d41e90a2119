package dev.carafe;

import java.util.List;

/** A registered route: its path, methods and endpoint; {@link #name(String)} names it for {@code urlFor}. */
public final class RouteSpec {
    final RouteGroup group;
    final String path;
    final List<String> methods;
    final Endpoint endpoint;
    String name;
    boolean csrfExempt;

    RouteSpec(RouteGroup group, String path, List<String> methods, Endpoint endpoint) {
        this.group = group;
        this.path = path;
        this.methods = methods;
        this.endpoint = endpoint;
    }

    /** Names the route, for {@code app.urlFor(name, params)} and in templates. Returns this route. */
    public RouteSpec name(String name) {
        group.checkOpen();
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new IllegalArgumentException("Route name must be non-empty and without '.': " + name);
        }
        this.name = name;
        return this;
    }

    /**
     * Exempts this route from CSRF checks (see {@link App#enableCsrf()}), e.g. a webhook that other
     * servers post forms to. Returns this route.
     */
    public RouteSpec csrfExempt() {
        group.checkOpen();
        this.csrfExempt = true;
        return this;
    }
}
