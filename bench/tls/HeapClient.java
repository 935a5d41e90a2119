import java.io.*;
import java.net.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.util.*;
import javax.net.ssl.*;

public class HeapClient {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]), n = Integer.parseInt(a[1]);
        boolean tls = a[2].equals("tls");
        SSLSocketFactory f = null;
        if (tls) {
            KeyStore ks = KeyStore.getInstance("PKCS12"); ks.load(null, null);
            ks.setCertificateEntry("c", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(Path.of(a[3]))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX"); tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS"); ctx.init(null, tmf.getTrustManagers(), null);
            f = ctx.getSocketFactory();
        }
        List<Socket> open = new ArrayList<>();
        byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        for (int i = 0; i < n; i++) {
            Socket s = tls ? f.createSocket("127.0.0.1", port) : new Socket("127.0.0.1", port); s.setTcpNoDelay(true);
            s.getOutputStream().write(req); s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096]; int got = 0;
            while (true) { int r = in.read(buf, got, buf.length - got); if (r < 0) throw new EOFException(); got += r;
                String t = new String(buf, 0, got); if (t.endsWith("\r\n\r\nok")) break; }
            open.add(s);
        }
        System.out.println("opened " + open.size());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }
}
