package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and certificates as openssl (and so certbot and most CAs' tools) writes them: each form of
 * private key PEM, read and served.
 */
class TlsPemFormatsTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Commands.Result r = Commands.run(Duration.ofSeconds(30), cmd);
        assertEquals(0, r.exitCode(), r.toString());
    }

    /** Makes a key with {@code genKey}, a self-signed certificate for it, and serves them. */
    private void serves(String keyHeader, String... genKey) throws Exception {
        Path key = dir.resolve("key.pem"), cert = dir.resolve("cert.pem");
        openssl(genKey);
        assertTrue(Files.readString(key).startsWith("-----BEGIN " + keyHeader + "-----"), Files.readString(key));
        openssl("req", "-x509", "-new", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        try (Server server = Server.start(TestServers.config().tls(Tls.pem(cert, key)).build(), (req, res) -> res.send("ok " + req.scheme()));
             SSLSocket s = (SSLSocket) TlsClients.trusting(cert).getSocketFactory().createSocket("127.0.0.1", server.port());
             RawClient c = new RawClient(s)) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok https", c.read().body);
        }
    }

    @Test
    void rsaPkcs1() throws Exception {
        serves("RSA PRIVATE KEY", "genrsa", "-traditional", "-out", dir.resolve("key.pem").toString(), "2048");
    }

    @Test
    void rsaPkcs8() throws Exception {
        serves("PRIVATE KEY", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", dir.resolve("key.pem").toString());
    }

    @Test
    void ecSec1() throws Exception {
        serves("EC PRIVATE KEY", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.resolve("key.pem").toString());
    }

    @Test
    void ecP384Pkcs8() throws Exception {
        serves("PRIVATE KEY", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", dir.resolve("key.pem").toString());
    }
}
