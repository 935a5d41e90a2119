package dev.carafe.bench.tools;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of the TLS workloads: a context trusting exactly the run's certificate (so a
 * peer serving the wrong one fails), and sockets limited to the one TLS 1.3 suite every client in
 * bench/run uses ({@link #SUITE}), so no peer wins or loses by the cipher it prefers.
 */
public final class TlsClients {
    /** The suite wrk and h2load are limited to as well (bench/run's openssl.cnf, h2load --tls13-ciphers). */
    public static final String SUITE = "TLS_AES_128_GCM_SHA256";

    private TlsClients() {}

    /** A TLS context whose only trusted certificate is the PEM file {@code cert}. */
    public static SSLContext trusting(Path cert) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
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

    /** A TLS 1.3 socket to host:port offering only {@link #SUITE} and no ALPN (as wrk does); it handshakes on first use. */
    public static SSLSocket socket(SSLContext ctx, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setCipherSuites(new String[] {SUITE});
        s.setSSLParameters(p);
        return s;
    }

    /** {@link #socket} as a plain {@link Socket}, for code shared with plain HTTP. */
    static Socket open(SSLContext ctx, String host, int port) throws IOException {
        return ctx == null ? new Socket(host, port) : socket(ctx, host, port);
    }
}
