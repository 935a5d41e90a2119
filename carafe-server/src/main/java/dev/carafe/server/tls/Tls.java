package dev.carafe.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * What a server needs to speak HTTPS: its certificate and key, from PEM files or a key store.
 * TLS 1.3 and 1.2 only, with forward-secret AEAD cipher suites; ALPN picks the application
 * protocol (the server speaks {@code http/1.1}).
 *
 * <pre>{@code
 * // certbot's files; a renewal is picked up without a restart
 * Tls tls = Tls.pem(Path.of("/etc/letsencrypt/live/example.com/fullchain.pem"),
 *                   Path.of("/etc/letsencrypt/live/example.com/privkey.pem"));
 * Server.start(ServerConfig.builder().host("0.0.0.0").port(443).tls(tls).build(), handler);
 *
 * Tls dev = Tls.selfSigned(); // localhost, 127.0.0.1 and ::1; see DevCertificate
 * }</pre>
 *
 * <p><b>Reloading.</b> The files are read when the server starts, then checked again at most every
 * {@link #RECHECK_MILLIS} ms as new connections arrive: when one has a new modification time or
 * size, the certificate and key are read again and new handshakes use them; connections already
 * open keep theirs. A half-written renewal (a key that does not match the certificate, a
 * truncated file) is logged and ignored, and tried again at the next check, so the old certificate
 * keeps serving meanwhile. {@link #reload()} (or {@code Server.reloadTls()}) reloads at once.
 */
public final class Tls {
    /** The most often the files are checked for a change. */
    public static final long RECHECK_MILLIS = 2000;
    private static final System.Logger LOG = System.getLogger("dev.carafe.server");
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Mozilla's "intermediate" choice: AEAD with forward secrecy, ECDSA keys first, then RSA. */
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Reads the key material: a fresh SSLContext each time. */
    private interface Loader {
        SSLContext load() throws IOException, GeneralSecurityException;
    }

    private final String description;
    private final List<Path> files;
    private final Loader loader;
    private final ReentrantLock reloading = new ReentrantLock();
    private final AtomicLong nextCheck = new AtomicLong(System.nanoTime());
    private volatile SSLContext context; // null until first loaded
    private volatile String[] cipherSuites;
    private List<String> loadedStamps; // guarded by reloading
    private List<String> failedStamps; // guarded by reloading: a broken renewal is logged once

    private Tls(String description, List<Path> files, Loader loader) {
        this.description = description;
        this.files = files;
        this.loader = loader;
    }

    /**
     * A certificate chain (leaf first, then intermediates: certbot's {@code fullchain.pem}) and its
     * unencrypted private key (PKCS#8, PKCS#1 RSA or SEC 1 EC), both PEM. The same file may hold both.
     */
    public static Tls pem(Path certificateChain, Path privateKey) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        return new Tls(certificateChain + " and " + privateKey, List.of(certificateChain, privateKey), () -> {
            List<X509Certificate> chain = Pem.certificates(certificateChain);
            PrivateKey key = Pem.privateKey(privateKey);
            checkPair(chain.get(0), key);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
            return context(store, password);
        });
    }

    /** A PKCS#12 or JKS key store whose key entries share its {@code password}. */
    public static Tls keyStore(Path path, char[] password) {
        Objects.requireNonNull(path, "path");
        char[] copy = password.clone();
        return new Tls(path.toString(), List.of(path), () -> context(KeyStore.getInstance(path.toFile(), copy), copy));
    }

    /**
     * The development certificate for localhost ({@link DevCertificate#localhost()}), made and
     * kept in {@link DevCertificate#defaultFolder()} on first use.
     */
    public static Tls selfSigned() throws IOException {
        return DevCertificate.localhost().tls();
    }

    private static SSLContext context(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** Fails unless {@code key} is the private half of {@code cert}'s public key. */
    static void checkPair(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA signs with its own name
        };
        byte[] probe = "carafe key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(cert.getPublicKey());
        v.update(probe);
        if (!v.verify(sig)) throw new GeneralSecurityException("the private key does not match the certificate");
    }

    /**
     * Reads the certificate and key again now; new handshakes use them. Throws, keeping the
     * previous ones, when they cannot be read.
     */
    public void reload() throws IOException {
        reloading.lock();
        try {
            List<String> stamps = stamps();
            SSLContext fresh;
            try {
                fresh = loader.load();
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot load the TLS certificate from " + description + ": " + e.getMessage(), e);
            }
            cipherSuites = suitesFor(fresh);
            context = fresh;
            loadedStamps = stamps;
            failedStamps = null;
        } finally {
            reloading.unlock();
        }
    }

    /**
     * A server-side engine for one new connection, choosing with ALPN the first of
     * {@code applicationProtocols} (the server's, in its order of preference) that the client
     * offers; none when the client offers none of them. Checks first whether the files changed
     * ({@link #RECHECK_MILLIS}).
     */
    public SSLEngine newEngine(List<String> applicationProtocols) {
        SSLContext ctx = current();
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(cipherSuites);
        p.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(p);
        List<String> ours = List.copyOf(applicationProtocols);
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> {
            for (String protocol : ours) if (offered.contains(protocol)) return protocol;
            return ""; // no ALPN in the answer: the client decides whether to go on
        });
        return engine;
    }

    /** Loads the files first, so a bad path or key fails when the server starts. */
    public void load() throws IOException {
        if (context == null) reload();
    }

    private SSLContext current() {
        long now = System.nanoTime(), next = nextCheck.get();
        if (now - next >= 0 && nextCheck.compareAndSet(next, now + RECHECK_MILLIS * 1_000_000) && reloading.tryLock()) {
            try {
                List<String> stamps = stamps();
                if (context == null || (!stamps.equals(loadedStamps) && !stamps.equals(failedStamps))) {
                    boolean renewal = context != null;
                    try {
                        reload();
                        if (renewal) LOG.log(System.Logger.Level.INFO, "Loaded the TLS certificate from " + description);
                    } catch (IOException e) {
                        failedStamps = stamps;
                        LOG.log(context == null ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                                e.getMessage() + "; keeping the previous certificate, trying again when the files change");
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot check the TLS files " + description + ": " + e.getMessage());
            } finally {
                reloading.unlock();
            }
        }
        SSLContext ctx = context;
        if (ctx == null) throw new IllegalStateException("No TLS certificate loaded from " + description);
        return ctx;
    }

    /** Modification time and size of each file: a renewal changes at least one. */
    private List<String> stamps() throws IOException {
        List<String> out = new ArrayList<>(files.size());
        for (Path f : files) out.add(Files.getLastModifiedTime(f).toMillis() + "/" + Files.size(f));
        return out;
    }

    private static String[] suitesFor(SSLContext ctx) {
        List<String> supported = Arrays.asList(ctx.getSupportedSSLParameters().getCipherSuites());
        return CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "Tls[" + description + "]";
    }
}
