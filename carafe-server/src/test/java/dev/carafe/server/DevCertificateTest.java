package dev.carafe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carafe.server.tls.DevCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed development certificate: what openssl reads in it, and how it is cached. */
class DevCertificateTest {
    @Test
    void opensslReadsAValidV3CertificateForTheLoopbackNames(@TempDir Path dir) throws Exception {
        DevCertificate dev = DevCertificate.in(dir);
        Commands.Result r = Commands.run(Duration.ofSeconds(20),
                List.of("openssl", "x509", "-in", dev.certificate().toString(), "-noout", "-text"));
        assertEquals(0, r.exitCode(), r.toString());
        String text = r.stdout();
        assertTrue(text.contains("Version: 3 (0x2)"), text);
        assertTrue(text.contains("Signature Algorithm: ecdsa-with-SHA256"), text);
        assertTrue(text.contains("NIST CURVE: P-256"), text);
        assertTrue(text.contains("Subject: CN = localhost"), text);
        assertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), text);
        assertTrue(text.contains("TLS Web Server Authentication"), text);
        // self-signed: it verifies against itself
        Commands.Result v = Commands.run(Duration.ofSeconds(20), List.of("openssl", "verify", "-CAfile",
                dev.certificate().toString(), dev.certificate().toString()));
        assertEquals(0, v.exitCode(), v.toString());
        Commands.Result k = Commands.run(Duration.ofSeconds(20), List.of("openssl", "pkey", "-in", dev.privateKey().toString(), "-noout"));
        assertEquals(0, k.exitCode(), k.toString());
    }

    @Test
    void itIsMadeOnceAndReusedAndRemadeWhenBroken(@TempDir Path dir) throws Exception {
        DevCertificate first = DevCertificate.in(dir);
        String cert = Files.readString(first.certificate());
        assertEquals(cert, Files.readString(DevCertificate.in(dir).certificate()), "the cached certificate is reused");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateKey())));
        }
        Files.delete(first.privateKey());
        assertNotEquals(cert, Files.readString(DevCertificate.in(dir).certificate()), "a certificate without its key is remade");
    }
}
