package dev.carafe.launch;

import java.util.Map;

/**
 * The command line every Carafe app understands: {@code --port N --host H --debug --routes --tls},
 * with env fallbacks. {@code --tls} serves HTTPS with the self-signed development certificate
 * ({@code dev.carafe.server.tls.DevCertificate}).
 */
public record Options(int port, String host, boolean debug, boolean routes, boolean hostGiven, boolean tls) {
    public static Options parse(String[] args, Map<String, String> env) {
        int port = -1;
        String host = null;
        boolean debug = false, routes = false, tls = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                case "--debug" -> debug = true;
                case "--routes" -> routes = true;
                case "--tls" -> tls = true;
                default -> {
                    if (args[i].startsWith("--port=")) port = parsePort(args[i].substring(7));
                    else if (args[i].startsWith("--host=")) host = args[i].substring(7);
                    else throw new IllegalArgumentException("Unknown option " + args[i] + " (use --port N, --host H, --debug, --routes, --tls)");
                }
            }
        }
        if (port < 0) port = env.containsKey("PORT") ? parsePort(env.get("PORT")) : 8080;
        boolean hostGiven = host != null || env.containsKey("HOST");
        if (host == null) host = env.getOrDefault("HOST", "127.0.0.1");
        String d = env.get("CARAFE_DEBUG");
        if (d != null && (d.equals("1") || d.equalsIgnoreCase("true"))) debug = true;
        return new Options(port, host, debug, routes, hostGiven, tls);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("Port must be a number from 0 to 65535: " + s);
    }
}
