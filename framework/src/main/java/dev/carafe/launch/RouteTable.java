package dev.carafe.launch;

import dev.carafe.routing.Router;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** The route table as {@code --routes} prints it, like {@code flask routes}: name, methods, rule. */
public final class RouteTable {
    private RouteTable() {}

    /** Prints one row per rule, its methods merged; {@code name} gives a route's name (or null). */
    public static <T> void print(List<Router.Listing<T>> listings, Function<T, String> name, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Endpoint", "Methods", "Rule"});
        Map<String, List<String>> byRoute = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Router.Listing<T> l : listings) {
            String key = l.pattern().toString();
            byRoute.computeIfAbsent(key, k -> new ArrayList<>()).add(l.method());
            String n = name.apply(l.target());
            if (n != null) names.put(key, n);
        }
        byRoute.forEach((rule, methods) -> rows.add(new String[] {names.getOrDefault(rule, "-"),
                String.join(", ", new TreeSet<>(methods)), rule}));
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            out.printf("%-" + w0 + "s  %-" + w1 + "s  %s%n", r[0], r[1], r[2]);
            if (i == 0) out.printf("%s  %s  %s%n", "-".repeat(w0), "-".repeat(w1), "-".repeat(4));
        }
    }
}
