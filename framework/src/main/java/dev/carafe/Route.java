package dev.carafe;

import dev.carafe.routing.PathPattern;
import java.util.List;

/**
 * A route as the router stores it: the endpoint with its full pattern, its qualified name
 * ({@code blueprint.route}) and the chain of groups whose hooks and error handlers apply,
 * from the app inwards. {@code csrfExempt} is set when the route or one of its groups opted out of
 * CSRF checks.
 */
record Route(String name, PathPattern pattern, Endpoint endpoint, List<RouteGroup> chain, boolean csrfExempt) {}
