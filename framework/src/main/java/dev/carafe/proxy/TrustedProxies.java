package dev.carafe.proxy;

import dev.carafe.server.Request;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Werkzeug's {@code ProxyFix}: believes what the last {@code hops} proxies in front of the app
 * say about the client, and nothing else. Each proxy appends to the forwarding headers, so the
 * value the n-th proxy from the app wrote is the n-th from the right; values further left were
 * written by the client or by proxies it controls, and are ignored. A header with fewer values
 * than {@code hops} did not pass through all of them and is ignored whole.
 *
 * <p>Which headers: {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -Prefix}
 * (what nginx and most ingress controllers send), or the standard {@code Forwarded} (RFC 7239:
 * {@code for}, {@code proto}, {@code host}). Only the chosen kind is read; the other is ignored,
 * since a proxy that does not write it passes the client's copy through untouched.
 * Optionally, headers are believed only when the connection comes from one of {@code from}
 * (CIDR blocks), so a client that reaches the app's port directly cannot pose as the proxy.
 */
public final class TrustedProxies {
    /** Trusts no proxy: every header about the client is ignored. */
    public static final TrustedProxies NONE = new TrustedProxies(0, false, List.of());

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%\\-]+)+/?");

    private final int hops;
    private final boolean rfc7239;
    private final List<AddressRange> from;

    private TrustedProxies(int hops, boolean rfc7239, List<AddressRange> from) {
        this.hops = hops;
        this.rfc7239 = rfc7239;
        this.from = from;
    }

    /**
     * Trusts {@code hops} proxies.
     *
     * @param headers   {@code x-forwarded} (the default when null or empty) or {@code forwarded}
     * @param addresses comma-separated CIDR blocks the nearest proxy connects from; null or empty
     *                  for any address
     */
    public static TrustedProxies of(int hops, String headers, String addresses) {
        if (hops < 0) throw new IllegalArgumentException("The number of trusted proxies must be 0 or more: " + hops);
        String h = headers == null || headers.isBlank() ? "x-forwarded" : headers.trim().toLowerCase(Locale.ROOT);
        if (!h.equals("x-forwarded") && !h.equals("forwarded")) {
            throw new IllegalArgumentException("TRUST_PROXY_HEADERS must be x-forwarded or forwarded: " + headers);
        }
        List<AddressRange> ranges = new ArrayList<>();
        if (addresses != null) {
            for (String a : addresses.split(",")) if (!a.isBlank()) ranges.add(AddressRange.parse(a));
        }
        return new TrustedProxies(hops, h.equals("forwarded"), List.copyOf(ranges));
    }

    /** How many proxies are trusted; 0 when none. */
    public int hops() {
        return hops;
    }

    /** The client and the URL it used, as the trusted proxies tell it. */
    public Forwarded resolve(Request request) {
        Forwarded direct = Forwarded.direct(request);
        if (hops == 0 || !fromTrustedPeer(request.remoteAddress().getAddress())) return direct;
        return rfc7239 ? fromForwarded(request, direct) : fromXForwarded(request, direct);
    }

    /** The client's address as text, for the access log. */
    public String clientAddress(Request request) {
        return resolve(request).client().getAddress().getHostAddress();
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

    /** The value the {@code hops}-th proxy from the app wrote, or null when the header has fewer values. */
    private String nth(Request request, String header) {
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
