package dev.carafe.bench;

/** Helpers shared by the benchmark peers: command line and the hand-made router. */
public final class Args {
    private Args() {}

    public static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        String env = System.getenv("PORT");
        return name.equals("--port") && env != null ? env : fallback;
    }

    /**
     * The answer for {@code /r{i}/{id}} with 0 <= i < 100, {@code "r{i}:{id}"}, or null when the
     * path is not one of those routes (for peers without a router).
     */
    public static String route(String path) {
        if (path.length() < 4 || path.charAt(0) != '/' || path.charAt(1) != 'r') return null;
        int slash = path.indexOf('/', 2);
        if (slash < 3 || slash > 4 || slash == path.length() - 1 || path.indexOf('/', slash + 1) >= 0) return null;
        int i = 0;
        for (int k = 2; k < slash; k++) {
            char c = path.charAt(k);
            if (c < '0' || c > '9') return null;
            i = i * 10 + (c - '0');
        }
        return "r" + i + ":" + path.substring(slash + 1);
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
