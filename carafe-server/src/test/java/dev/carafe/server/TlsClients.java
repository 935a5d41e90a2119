package dev.carafe.server;

import dev.carafe.server.tls.DevCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Clients for the TLS tests, trusting exactly the development certificate they are given. */
public final class TlsClients {
    private TlsClients() {}

    /** One development certificate for every TLS test in this JVM, in a temporary folder. */
    public static synchronized DevCertificate cert() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("carafe-tls-test");
            shared = DevCertificate.in(dir);
        }
        return shared;
    }

    private static DevCertificate shared;

    static ServerConfig.Builder config() throws IOException {
        return TestServers.config().tls(cert().tls());
    }

    /** A context that trusts the certificate in {@code pem} and nothing else. */
    public static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("c" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static HttpClient httpClient() throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(cert().certificate()))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A TLS socket to the server at {@code port}, handshake done, naming {@code sni} (or none when null). */
    static SSLSocket socket(int port, String sni) throws Exception {
        return socket(port, sni, new String[0]);
    }

    /** The same, offering {@code alpn} (none when empty); the server's choice is {@code getApplicationProtocol()}. */
    public static SSLSocket socket(int port, String sni, String... alpn) throws Exception {
        java.net.Socket tcp = new java.net.Socket("127.0.0.1", port);
        tcp.setTcpNoDelay(true); // as browsers and curl do: else Nagle holds the request behind the handshake's last flight
        SSLSocket s = (SSLSocket) trusting(cert().certificate()).getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (alpn.length > 0) p.setApplicationProtocols(alpn);
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }
}
