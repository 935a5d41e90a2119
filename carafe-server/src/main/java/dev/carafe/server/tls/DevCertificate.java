package dev.carafe.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A self-signed certificate for local development, valid for {@code localhost}, {@code 127.0.0.1}
 * and {@code ::1}: made once, kept in a folder and reused until it nears its end, like Flask's
 * {@code ssl_context="adhoc"} but stable across restarts (a browser exception or a
 * {@code curl --cacert} keeps working).
 *
 * <pre>{@code
 * DevCertificate dev = DevCertificate.localhost();   // ~/.cache/carafe/tls
 * Server.start(ServerConfig.builder().tls(dev.tls()).build(), handler);
 * // curl --cacert ~/.cache/carafe/tls/localhost-cert.pem https://localhost:8080/
 * }</pre>
 *
 * <p>The key is EC P-256, the signature SHA256withECDSA, the validity one year (renewed 30 days
 * before it ends). Browsers still warn: the certificate is trusted by nobody until you say so.
 * Never use it outside development.
 *
 * @param certificate the PEM certificate, to trust in a client ({@code --cacert})
 * @param privateKey  the PEM private key (PKCS#8), readable by its owner only
 */
public record DevCertificate(Path certificate, Path privateKey) {
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /**
     * The folder the certificate is kept in: {@code $CARAFE_TLS_DIR} if set, else
     * {@code $XDG_CACHE_HOME/carafe/tls}, else {@code ~/.cache/carafe/tls}.
     */
    public static Path defaultFolder() {
        String dir = System.getenv("CARAFE_TLS_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("carafe").resolve("tls");
    }

    /** The development certificate in {@link #defaultFolder()}, made there first if needed. */
    public static DevCertificate localhost() throws IOException {
        return in(defaultFolder());
    }

    /**
     * The development certificate kept in {@code folder}: {@code localhost-cert.pem} and
     * {@code localhost-key.pem}, made (or remade, when unreadable or within 30 days of expiring)
     * under a lock file, so two processes starting at once agree on one.
     */
    public static DevCertificate in(Path folder) throws IOException {
        Files.createDirectories(folder);
        DevCertificate dev = new DevCertificate(folder.resolve("localhost-cert.pem"), folder.resolve("localhost-key.pem"));
        try (FileChannel lockFile = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (!dev.usable()) dev.generate();
        }
        return dev;
    }

    /** TLS settings serving this certificate. */
    public Tls tls() {
        return Tls.pem(certificate, privateKey);
    }

    /** Whether the files hold a matching pair that stays valid for a while yet. */
    private boolean usable() {
        if (!Files.isRegularFile(certificate) || !Files.isRegularFile(privateKey)) return false;
        try {
            X509Certificate cert = Pem.certificates(certificate).get(0);
            Tls.checkPair(cert, Pem.privateKey(privateKey));
            return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private void generate() throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            byte[] der = selfSigned(pair, ZonedDateTime.now(ZoneOffset.UTC));
            writeAtomically(privateKey, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            writeAtomically(certificate, Pem.encode("CERTIFICATE", der), false);
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot make the development certificate: " + e.getMessage(), e);
        }
    }

    /** An X.509 v3 certificate for {@code pair}, signed by its own key (RFC 5280 §4.1). */
    static byte[] selfSigned(KeyPair pair, ZonedDateTime now) throws GeneralSecurityException {
        byte[] ecdsaWithSha256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        byte[] name = Der.sequence(Der.constructed(Der.SET, Der.sequence(Der.oid("2.5.4.3"), Der.utf8("localhost"))));
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7f; // positive, as RFC 5280 requires
        byte[] san = Der.sequence(
                Der.tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)), // dNSName
                Der.tlv(0x87, address("127.0.0.1")), // iPAddress
                Der.tlv(0x87, address("::1")));
        byte[] extensions = Der.constructed(0xa3, Der.sequence(
                Der.sequence(Der.oid("2.5.29.17"), Der.octets(san)),
                // keyUsage (critical): digitalSignature only, what an ECDHE server key does
                Der.sequence(Der.oid("2.5.29.15"), Der.tlv(0x01, new byte[] {(byte) 0xff}),
                        Der.octets(Der.tlv(Der.BIT_STRING, new byte[] {7, (byte) 0x80}))),
                // extKeyUsage: serverAuth
                Der.sequence(Der.oid("2.5.29.37"), Der.octets(Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))))));
        byte[] tbs = Der.sequence(
                Der.constructed(0xa0, Der.integer(BigInteger.TWO)), // version: v3
                Der.integer(new BigInteger(serial)),
                ecdsaWithSha256,
                name,
                Der.sequence(Der.time(now.minusMinutes(5)), Der.time(now.plus(VALIDITY))),
                name,
                pair.getPublic().getEncoded(), // already a SubjectPublicKeyInfo
                extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        return Der.sequence(tbs, ecdsaWithSha256, Der.bits(signer.sign()));
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no lookup
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (secret && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
