package dev.carafe.session;

import dev.carafe.App;
import dev.carafe.Context;
import dev.carafe.Reply;
import dev.carafe.http.Cookie;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.LoggerFactory;

/**
 * Signed-cookie sessions, as Flask does them with itsdangerous: the cookie holds
 * {@code payload.timestamp.signature}, each part URL-safe Base64, the signature an HMAC-SHA256 over
 * the first two with a key derived from {@code SECRET_KEY}. A cookie that fails verification, is
 * malformed, or is older than {@code SESSION_LIFETIME} gives an empty session, never an error.
 *
 * <p>Key rotation: new cookies are signed with {@code SECRET_KEY}; cookies signed with any key in
 * {@code SECRET_KEY_FALLBACKS} (comma-separated) are still accepted and re-signed when changed.
 */
public final class Sessions {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final App app;
    private volatile boolean enabled;
    private volatile List<byte[]> keys;

    /** The session settings of {@code app}, off until {@link #enable()}. */
    public Sessions(App app) {
        this.app = app;
    }

    /** Turns sessions on ({@code app.enableSessions()}). */
    public void enable() {
        enabled = true;
    }

    /** Whether sessions are on. */
    public boolean enabled() {
        return enabled;
    }

    private String cookieName() {
        return app.config().get("SESSION_COOKIE_NAME", "session");
    }

    private Duration lifetime() {
        return app.config().getDuration("SESSION_LIFETIME", Duration.ofDays(31));
    }

    /** Signing keys: the current one first, then the fallbacks. Derived once. */
    private List<byte[]> keys() {
        List<byte[]> k = keys;
        if (k == null) {
            List<byte[]> derived = new ArrayList<>();
            String secret = app.config().get("SECRET_KEY");
            if (secret == null) {
                if (!app.debug()) throw new IllegalStateException("SECRET_KEY is not set; sessions need it");
                LoggerFactory.getLogger(Sessions.class).warn("SECRET_KEY is not set: using a random key (sessions end when the process does)");
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                secret = B64.encodeToString(random);
            }
            derived.add(derive(secret));
            for (String old : app.config().get("SECRET_KEY_FALLBACKS", "").split(",")) {
                if (!old.isBlank()) derived.add(derive(old.trim()));
            }
            keys = k = derived;
        }
        return k;
    }

    private static byte[] derive(String secret) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8), "carafe.session.signing".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The session carried by the request's cookie; empty when absent, tampered, malformed or expired. */
    public Session load(Context ctx) {
        if (!enabled) throw new IllegalStateException("Sessions are off: call app.enableSessions() before starting");
        String cookie = ctx.cookie(cookieName());
        Map<String, String> values = cookie == null ? Map.of() : verify(cookie, System.currentTimeMillis() / 1000);
        return new Session(values);
    }

    Map<String, String> verify(String cookie, long nowSeconds) {
        String[] parts = cookie.split("\\.");
        if (parts.length != 3) return Map.of();
        try {
            byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            // Compared as text: decoding first would accept every spelling of the last Base64
            // character that differs only in its unused low bits, so one session had four cookies.
            byte[] signature = parts[2].getBytes(StandardCharsets.US_ASCII);
            boolean valid = false;
            for (byte[] key : keys()) valid |= MessageDigest.isEqual(B64.encode(hmac(key, signed)), signature);
            if (!valid) return Map.of();
            long issued = Long.parseLong(new String(B64D.decode(parts[1]), StandardCharsets.US_ASCII));
            if (nowSeconds - issued > lifetime().toSeconds() || issued - nowSeconds > 60) return Map.of();
            return decode(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) { // bad Base64, number or encoding: treat as no session
            return Map.of();
        }
    }

    String sign(Map<String, String> values, long nowSeconds) {
        String payload = B64.encodeToString(encode(values).getBytes(StandardCharsets.UTF_8));
        String time = B64.encodeToString(Long.toString(nowSeconds).getBytes(StandardCharsets.US_ASCII));
        byte[] signature = hmac(keys().get(0), (payload + "." + time).getBytes(StandardCharsets.US_ASCII));
        return payload + "." + time + "." + B64.encodeToString(signature);
    }

    /** Adds the cookie of session {@code s} to {@code reply} when the request changed it. */
    public void save(Session s, Reply reply) {
        save(s, reply, false);
    }

    /**
     * Like {@link #save(Session, Reply)} for a request that came over {@code https} (directly or, as a
     * trusted proxy says, through it): unless {@code SESSION_COOKIE_SECURE} says otherwise, the
     * cookie is then {@code Secure}, so the browser never sends it over plain HTTP.
     */
    public void save(Session s, Reply reply, boolean https) {
        if (!s.modified()) return;
        boolean secure = app.config().getBoolean("SESSION_COOKIE_SECURE", https);
        if (s.isEmpty()) {
            reply.cookie(Cookie.expired(cookieName()).secure(secure));
            return;
        }
        String value = sign(s.values(), System.currentTimeMillis() / 1000);
        if (value.length() > 4000) throw new IllegalStateException("Session too large for a cookie (" + value.length() + " bytes)");
        reply.cookie(Cookie.of(cookieName(), value).maxAge(lifetime()).secure(secure));
        // Added to, not replacing, what the reply already varies on (Accept-Encoding for gzip).
        String vary = reply.headers().get("Vary");
        if (vary == null) reply.header("Vary", "Cookie");
        else if (!reply.headers().hasToken("Vary", "Cookie")) reply.header("Vary", vary + ", Cookie");
    }

    private static String encode(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static Map<String, String> decode(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.isEmpty()) return out;
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
