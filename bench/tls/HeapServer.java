import dev.carafe.server.*;
import dev.carafe.server.tls.*;
import java.io.*;
import java.nio.file.*;
import java.lang.management.*;

public class HeapServer {
    public static void main(String[] a) throws Exception {
        boolean tls = a[0].equals("tls");
        ServerConfig.Builder b = ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).idleTimeout(java.time.Duration.ofMinutes(10));
        if (tls) b.tls(DevCertificate.in(Path.of(a[1])).tls());
        Server s = Server.start(b.build(), (req, res) -> res.send("ok"));
        System.out.println("port " + s.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String l; (l = in.readLine()) != null; ) {
            for (int i = 0; i < 4; i++) { System.gc(); Thread.sleep(200); }
            MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.out.println("heap " + u.getUsed() + " open " + s.openConnections());
        }
    }
}
