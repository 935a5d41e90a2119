package dev.carafe.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as certificate authorities and tools such as certbot and openssl write them: a
 * certificate chain (leaf first), and an unencrypted private key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1
 * ({@code BEGIN EC PRIVATE KEY}) form.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String RSA = "1.2.840.113549.1.1.1", EC = "1.2.840.10045.2.1";

    private Pem() {}

    record Block(String type, byte[] der) {}

    static List<Block> blocks(String text) throws GeneralSecurityException {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
                throw new GeneralSecurityException("encrypted PEM keys are not supported (decrypt it: openssl pkey -in KEY -out KEY.plain)");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("bad base64 in a PEM " + m.group(1) + " block", e);
            }
        }
        return out;
    }

    static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The certificates in {@code file}, in file order (leaf first, for a chain). */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block b : blocks(Files.readString(file, StandardCharsets.US_ASCII))) {
            if (b.type().equals("CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        if (chain.isEmpty()) throw new GeneralSecurityException("no BEGIN CERTIFICATE block in " + file);
        return chain;
    }

    /** The first private key in {@code file}. */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block b : blocks(Files.readString(file, StandardCharsets.US_ASCII))) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(wrap(Der.sequence(Der.oid(RSA), Der.tlv(Der.NULL, new byte[0])), b.der()));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(wrap(Der.sequence(Der.oid(EC), curveOf(b.der())), b.der()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        "encrypted private keys are not supported (decrypt it: openssl pkey -in KEY -out KEY.plain)");
                default -> {
                    // another block (a certificate in a combined file): look further
                }
            }
        }
        throw new GeneralSecurityException("no BEGIN PRIVATE KEY block in " + file);
    }

    /** A PKCS#8 PrivateKeyInfo around a key in its algorithm's own encoding. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return Der.sequence(Der.integer(BigInteger.ZERO), algorithm, Der.octets(key));
    }

    /** The named curve of a SEC 1 ECPrivateKey: its {@code [0]} parameters, as an encoded OID. */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        for (Der.Element e : Der.read(sec1).get(0).children()) {
            if (e.tag() == 0xa0) return Der.tlv(Der.OID, e.children().get(0).contents());
        }
        throw new GeneralSecurityException("the EC private key does not name its curve");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key type", last);
    }
}
