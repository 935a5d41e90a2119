package dev.carafe.session;

import dev.carafe.Context;
import dev.carafe.http.MimeTypes;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * CSRF tokens bound to the session, as Flask-WTF and Django do it. The session holds a random
 * 32-byte secret; each token handed to a page is {@code mask + (mask XOR secret)} with a fresh
 * random mask, so the token differs on every render (a page's compressed size then leaks nothing
 * about it: BREACH) while any of them verifies against the one secret.
 */
public final class Csrf {
    static final String SESSION_KEY = "_csrf";
    static final String FIELD = "csrf_token";
    static final String HEADER = "X-CSRF-Token";
    private static final int SIZE = 32;
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Csrf() {}

    /** A fresh masked token for the session's secret, creating the secret on first use ({@code ctx.csrfToken()}). */
    public static String token(Context ctx) {
        Session session = ctx.session();
        byte[] secret = decode(session.get(SESSION_KEY), SIZE);
        if (secret == null) {
            secret = random();
            session.put(SESSION_KEY, B64.encodeToString(secret));
        }
        byte[] mask = random();
        byte[] token = new byte[2 * SIZE];
        for (int i = 0; i < SIZE; i++) {
            token[i] = mask[i];
            token[SIZE + i] = (byte) (mask[i] ^ secret[i]);
        }
        return B64.encodeToString(token);
    }

    /**
     * Ends the request with {@link CsrfError} unless it is safe, {@code exempt} (its route or group
     * opted out), or carries a valid token; the request pipeline calls it before any hook.
     */
    public static void check(Context ctx, boolean exempt) throws IOException {
        if (!UNSAFE.contains(ctx.method()) || exempt || MimeTypes.isJson(ctx.header("Content-Type"))) return;
        String token = ctx.header(HEADER);
        if (token == null) token = ctx.form(FIELD); // empty for bodies that are not forms
        if (!valid(ctx, token)) throw new CsrfError();
    }

    static boolean valid(Context ctx, String token) {
        byte[] secret = decode(ctx.session().get(SESSION_KEY), SIZE);
        byte[] masked = decode(token, 2 * SIZE);
        if (secret == null || masked == null) return false;
        byte[] unmasked = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) unmasked[i] = (byte) (masked[i] ^ masked[SIZE + i]);
        return MessageDigest.isEqual(unmasked, secret);
    }


    private static byte[] decode(String s, int length) {
        if (s == null) return null;
        try {
            byte[] b = B64D.decode(s.trim());
            return b.length == length ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] random() {
        byte[] b = new byte[SIZE];
        RANDOM.nextBytes(b);
        return b;
    }
}
