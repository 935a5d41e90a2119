import dev.carafe.routing.PathPattern;
import dev.carafe.routing.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Route lookup cost against the number of routes: the framework's router with 10, 100, 1,000 and
 * 10,000 routes like {@code /r{i}/{id:int}} (plus a static sibling each), lookups spread over all of
 * them. A harness, not a unit test: warm-up, then five one-second rounds, median ns per lookup.
 *
 * <p>Run with {@code bench/routing/run}.
 */
public class RouterBench {
    public static void main(String[] args) {
        int[] sizes = {10, 100, 1_000, 10_000};
        System.out.println("| routes | Carafe trie: ns per lookup (median of 5) | lookups/s | baseline, linear regex scan: ns per lookup |");
        System.out.println("|---|---|---|---|");
        for (int size : sizes) {
            Router<String> router = new Router<>();
            for (int i = 0; i < size; i++) {
                router.add("GET", PathPattern.parse("/r" + i + "/{id:int}"), "r" + i);
                router.add("GET", PathPattern.parse("/r" + i + "/static/about"), "s" + i);
            }
            String[] paths = new String[4096];
            Random random = new Random(42);
            for (int i = 0; i < paths.length; i++) paths[i] = "/r" + random.nextInt(size) + "/" + random.nextInt(100_000);
            run(router, paths, 2_000_000_000L); // warm-up
            List<Double> rounds = new ArrayList<>();
            for (int r = 0; r < 5; r++) rounds.add(run(router, paths, 1_000_000_000L));
            rounds.sort(null);
            double ns = rounds.get(2);
            double scan = size <= 1_000 ? scan(size, paths) : Double.NaN;
            System.out.printf("| %,d | %.0f | %,.0f | %s |%n", size, ns, 1e9 / ns, Double.isNaN(scan) ? "(skipped)" : String.format("%.0f", scan));
        }
    }

    static volatile Object sink;

    /**
     * What many routers do (Javalin's handler list, Flask/Werkzeug before its rule map compiles to
     * a state machine): try each route's regex in order. Same routes, same paths.
     */
    static double scan(int size, String[] paths) {
        List<java.util.regex.Pattern> rules = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rules.add(java.util.regex.Pattern.compile("/r" + i + "/(\\d+)"));
            rules.add(java.util.regex.Pattern.compile("/r" + i + "/static/about"));
        }
        long end = System.nanoTime() + 1_000_000_000L, start = System.nanoTime(), n = 0;
        while (System.nanoTime() < end) {
            String path = paths[(int) (n++ & 4095)];
            for (java.util.regex.Pattern p : rules) {
                if (p.matcher(path).matches()) {
                    sink = p;
                    break;
                }
            }
        }
        return (System.nanoTime() - start) / (double) n;
    }

    /** Looks up paths for about {@code nanos}; returns ns per lookup. */
    static double run(Router<String> router, String[] paths, long nanos) {
        long start = System.nanoTime(), n = 0;
        long end = start + nanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1024; i++) {
                Object r = router.find("GET", paths[(int) (n++ & 4095)]);
                if (!(r instanceof Router.Found<?>)) throw new AssertionError(r);
                sink = r;
            }
        }
        return (System.nanoTime() - start) / (double) n;
    }
}
