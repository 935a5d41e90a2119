package dev.carafe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A peer's opt-in TLS mode: {@code --tls-cert FILE --tls-key FILE} (or env {@code TLS_CERT} and
 * {@code TLS_KEY}), PEM files that bench/run makes once per run with openssl (EC P-256, PKCS#8
 * key). Peers whose library reads PEM itself take the paths; the others take the key store or the
 * JDK {@link SSLContext} built here, so every Java peer runs the JDK's TLS implementation.
 *
 * <pre>{@code
 * PeerTls tls = PeerTls.from(args);   // null: serve plain HTTP
 * if (tls != null) builder.addHttpsListener(port, host, tls.sslContext());
 * }</pre>
 */
public record PeerTls(Path cert, Path key) {
    /** Password of the in-memory key store; it never leaves the process. */
    public static final char[] PASSWORD = "bench".toCharArray();

    /** The TLS files the command line or environment names, or null for plain HTTP. */
    public static PeerTls from(String[] args) {
        String cert = option(args, "--tls-cert", "TLS_CERT");
        String key = option(args, "--tls-key", "TLS_KEY");
        if (cert == null && key == null) return null;
        if (cert == null || key == null) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        return new PeerTls(Path.of(cert), Path.of(key));
    }

    /** {@code args} without the TLS options, for an app whose own parser refuses unknown ones. */
    public static String[] strip(String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tls-cert") || args[i].equals("--tls-key")) i++;
            else rest.add(args[i]);
        }
        return rest.toArray(String[]::new);
    }

    /** The scheme the peer prints in its {@code Running on} line. */
    public static String scheme(PeerTls tls) {
        return tls == null ? "http" : "https";
    }

    /** A PKCS#12 key store holding the key and its chain under the alias "peer", password {@link #PASSWORD}. */
    public KeyStore keyStore() throws IOException, GeneralSecurityException {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(cert)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("peer", privateKey(chain[0].getPublicKey().getAlgorithm()), PASSWORD, chain);
        return ks;
    }

    /** A JDK TLS context serving the certificate (ALPN is set by each peer's library). */
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private PrivateKey privateKey(String algorithm) throws IOException, GeneralSecurityException {
        String pem = Files.readString(key);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(key + ": expected a PKCS#8 key (BEGIN PRIVATE KEY), as openssl 3 writes");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String option(String[] args, String name, String env) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return System.getenv(env);
    }
}
