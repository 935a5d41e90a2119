package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.tls.DevCertificate;
import dev.carafe.server.tls.Tls;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is served to new connections without a restart; open ones keep theirs. */
class TlsReloadTest {
    @TempDir
    Path dir;

    private DevCertificate a, b, c;
    private Path cert, key, trust;

    private void setUp() throws Exception {
        a = DevCertificate.in(dir.resolve("a"));
        b = DevCertificate.in(dir.resolve("b"));
        c = DevCertificate.in(dir.resolve("c"));
        cert = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        install(a.certificate(), cert, 0);
        install(a.privateKey(), key, 0);
        trust = dir.resolve("trust.pem");
        Files.writeString(trust, Files.readString(a.certificate()) + Files.readString(b.certificate()) + Files.readString(c.certificate()));
    }

    /** Copies {@code from} over {@code to} with a modification time {@code seconds} from now, as a renewal would. */
    private static void install(Path from, Path to, int seconds) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().plusSeconds(seconds)));
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static BigInteger serial(DevCertificate d) throws Exception {
        return ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(d.certificate()))).getSerialNumber();
    }

    private BigInteger served(int port) throws Exception {
        try (SSLSocket s = (SSLSocket) TlsClients.trusting(trust).getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Polls new connections until one is served {@code expected}; returns how long it took. */
    private long awaitServed(int port, BigInteger expected, long maxMillis) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (served(port).equals(expected)) return ms;
            if (ms > maxMillis) throw new AssertionError("the new certificate was not served within " + maxMillis + " ms");
            Thread.sleep(100);
        }
    }

    @Test
    void changedFilesArePickedUpByNewConnectionsWhileOpenOnesGoOn() throws Exception {
        setUp();
        try (Server server = Server.start(TestServers.config().tls(Tls.pem(cert, key)).build(), (req, res) -> res.send("ok"))) {
            assertEquals(serial(a), served(server.port()));
            SSLSocket open = (SSLSocket) TlsClients.trusting(trust).getSocketFactory().createSocket("127.0.0.1", server.port());
            try (RawClient old = new RawClient(open)) {
                old.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("ok", old.read().body);

                // A renewal that lands in two steps: the new certificate with the old key does not
                // match, and must not replace the working pair.
                install(b.certificate(), cert, 10);
                Thread.sleep(Tls.RECHECK_MILLIS + 500);
                assertEquals(serial(a), served(server.port()), "a half-installed renewal was loaded");
                install(b.privateKey(), key, 10);
                long ms = awaitServed(server.port(), serial(b), Tls.RECHECK_MILLIS + 3000);
                assertTrue(ms <= Tls.RECHECK_MILLIS + 1500, "took " + ms + " ms");

                old.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // the open connection goes on with its certificate
                assertEquals("ok", old.read().body);
                assertEquals(serial(a), ((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber());
            }
        }
    }

    @Test
    void reloadTlsAppliesAtOnceAndKeepsTheOldPairOnFailure() throws Exception {
        setUp();
        try (Server server = Server.start(TestServers.config().tls(Tls.pem(cert, key)).build(), (req, res) -> res.send("ok"))) {
            assertEquals(serial(a), served(server.port()));
            install(c.certificate(), cert, 20);
            install(c.privateKey(), key, 20);
            server.reloadTls();
            assertEquals(serial(c), served(server.port()));

            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            IOException e = assertThrows(IOException.class, server::reloadTls);
            assertTrue(e.getMessage().contains("Cannot load the TLS certificate"), e.getMessage());
            assertEquals(serial(c), served(server.port()));
            assertNotEquals(serial(a), serial(c));
        }
    }

    @Test
    void aMissingOrBrokenCertificateFailsAtStart() throws Exception {
        setUp();
        Path missing = dir.resolve("missing.pem");
        assertThrows(IOException.class, () -> Server.start(TestServers.config().tls(Tls.pem(missing, key)).build(), (req, res) -> { }));
        // a key that belongs to another certificate
        IOException e = assertThrows(IOException.class,
                () -> Server.start(TestServers.config().tls(Tls.pem(cert, b.privateKey())).build(), (req, res) -> { }));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> {
            try (Server plain = TestServers.start((req, res) -> { })) {
                plain.reloadTls();
            }
        });
    }

    @Test
    void aKeyStoreServesToo() throws Exception {
        setUp();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "secret".toCharArray();
        X509Certificate x = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(a.certificate()));
        java.security.PrivateKey pk = java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                java.util.Base64.getMimeDecoder().decode(Files.readString(a.privateKey()).replaceAll("-----[A-Z ]+-----", ""))));
        ks.setKeyEntry("server", pk, pw, new java.security.cert.Certificate[] {x});
        Path p12 = dir.resolve("server.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, pw);
        }
        try (Server server = Server.start(TestServers.config().tls(Tls.keyStore(p12, pw)).build(), (req, res) -> res.send("ok"))) {
            assertEquals(serial(a), served(server.port()));
        }
    }
}
