package dev.carafe.proxy;

import dev.carafe.server.AccessLog;
import dev.carafe.server.Request;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Werkzeug's {@code ProxyFix}: believes what the last {@code hops} proxies in front of the app
 * say about the client, and nothing else. Each proxy appends to the forwarding headers, so the
 * value the n-th proxy from the app wrote is the n-th from the right; values further left were
 * written by the client or by proxies it controls, and are ignored. A header with fewer values
 * than {@code hops} did not pass through all of them and is ignored whole.
 *
 * <p>Which headers: by default {@code X-Forwarded-For} and {@code X-Forwarded-Proto} (what nginx
 * configs and ingress controllers set); {@code X-Forwarded-Host} and {@code X-Forwarded-Prefix}
 * only when named, since a proxy that does not write a header passes the client's copy through
 * untouched, and a forged host would end up in absolute URLs. Or the standard {@code Forwarded}
 * (RFC 7239: {@code for}, {@code proto}, {@code host}, written together by each proxy) instead.
 * Optionally, headers are believed only when the connection comes from one of {@code from}
 * (CIDR blocks), so a client that reaches the app's port directly cannot pose as the proxy.
 */
public final class TrustedProxies {
    /** Trusts no proxy: every header about the client is ignored. */
    public static final TrustedProxies NONE = new TrustedProxies(0, Set.of(), List.of());
    private static final Set<String> X_FORWARDED = Set.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-prefix");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%\\-]+)+/?");

    private final int hops;
    private final Set<String> headers;
    private final List<AddressRange> from;

    private TrustedProxies(int hops, Set<String> headers, List<AddressRange> from) {
        this.hops = hops;
        this.headers = headers;
        this.from = from;
    }

    /**
     * Trusts {@code hops} proxies.
     *
     * @param headers   comma-separated, lower case: any of {@code x-forwarded-for},
     *                  {@code x-forwarded-proto}, {@code x-forwarded-host}, {@code x-forwarded-prefix}
     *                  (null or empty: the first two), or {@code forwarded} alone
     * @param addresses comma-separated CIDR blocks the nearest proxy connects from; null or empty
     *                  for any address
     */
    public static TrustedProxies of(int hops, String headers, String addresses) {
        if (hops < 0) throw new IllegalArgumentException("The number of trusted proxies must be 0 or more: " + hops);
        Set<String> names = new HashSet<>();
        String list = headers == null || headers.isBlank() ? "x-forwarded-for,x-forwarded-proto" : headers;
        for (String h : list.split(",")) if (!h.isBlank()) names.add(h.trim().toLowerCase(Locale.ROOT));
        boolean valid = names.equals(Set.of("forwarded")) || !names.isEmpty() && X_FORWARDED.containsAll(names);
        if (!valid) {
            throw new IllegalArgumentException("TRUST_PROXY_HEADERS lists x-forwarded-for, x-forwarded-proto, "
                    + "x-forwarded-host, x-forwarded-prefix, or forwarded alone: " + headers);
        }
        List<AddressRange> ranges = new ArrayList<>();
        if (addresses != null) {
            for (String a : addresses.split(",")) if (!a.isBlank()) ranges.add(AddressRange.parse(a));
        }
        return new TrustedProxies(hops, Set.copyOf(names), List.copyOf(ranges));
    }

    /** How many proxies are trusted; 0 when none. */
    public int hops() {
        return hops;
    }

    /** The client and the URL it used, as the trusted proxies tell it. */
    public Forwarded resolve(Request request) {
        Forwarded direct = Forwarded.direct(request);
        if (hops == 0 || !fromTrustedPeer(request.remoteAddress().getAddress())) return direct;
        return headers.contains("forwarded") ? fromForwarded(request, direct) : fromXForwarded(request, direct);
    }

    /**
     * {@code log} seeing each request as the trusted proxies describe it: its {@code remoteAddress()}
     * is the client's. {@code log} itself when no proxy is trusted.
     */
    public AccessLog logClients(AccessLog log) {
        if (hops == 0) return log;
        return new AccessLog() {
            @Override
            public void log(Request request, int status, long bodySize) {
                log.log(client(request), status, bodySize);
            }

            @Override
            public void log(Request request, int status, long bodySize, long nanos) {
                log.log(client(request), status, bodySize, nanos);
            }
        };
    }

    private Request client(Request request) {
        return new ClientAddressed(request, resolve(request).client());
    }

    private boolean fromTrustedPeer(InetAddress peer) {
        if (from.isEmpty()) return true;
        for (AddressRange r : from) if (r.contains(peer)) return true;
        return false;
    }

    private Forwarded fromXForwarded(Request request, Forwarded d) {
        InetSocketAddress client = d.client();
        InetAddress address = ip(nth(request, "X-Forwarded-For"));
        if (address != null) client = new InetSocketAddress(address, 0);
        return new Forwarded(client, scheme(nth(request, "X-Forwarded-Proto"), d.scheme()),
                host(nth(request, "X-Forwarded-Host"), d.host()), prefix(nth(request, "X-Forwarded-Prefix")));
    }

    private Forwarded fromForwarded(Request request, Forwarded d) {
        List<Map<String, String>> elements = ForwardedParser.parse(request.headers().all("Forwarded"));
        if (elements == null || elements.size() < hops) return d;
        Map<String, String> e = elements.get(elements.size() - hops);
        InetSocketAddress client = ForwardedParser.node(e.get("for"));
        return new Forwarded(client != null ? client : d.client(), scheme(e.get("proto"), d.scheme()),
                host(e.get("host"), d.host()), "");
    }

    /** The value the {@code hops}-th proxy from the app wrote; null when the header is not trusted or has fewer values. */
    private String nth(Request request, String header) {
        if (!headers.contains(header.toLowerCase(Locale.ROOT))) return null;
        List<String> values = new ArrayList<>();
        for (String line : request.headers().all(header)) {
            for (String v : line.split(",", -1)) values.add(v.trim());
        }
        return values.size() < hops ? null : values.get(values.size() - hops);
    }

    private static InetAddress ip(String value) {
        return value == null ? null : IpLiteral.parse(value);
    }

    private static String scheme(String value, String fallback) {
        if (value == null) return fallback;
        String v = value.toLowerCase(Locale.ROOT);
        return v.equals("http") || v.equals("https") ? v : fallback;
    }

    private static String host(String value, String fallback) {
        return value != null && value.length() <= 255 && HOST.matcher(value).matches() ? value : fallback;
    }

    /** A path prefix; never one starting with {@code //}, which would turn redirects into another site's URL. */
    private static String prefix(String value) {
        if (value == null || value.length() > 1024 || value.startsWith("//") || !PREFIX.matcher(value).matches()) return "";
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
