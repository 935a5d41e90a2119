// Heap allocated by a TLS server per keep-alive request (each wakes the connection from idle), curl as the client.
// Usage: see run.sh
import dev.carafe.server.*;
import dev.carafe.server.tls.*;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;
public class AllocPerRequest {
    public static void main(String[] a) throws Exception {
        Server s = Server.start(ServerConfig.builder().host("127.0.0.1").port(0).accessLog(null).tls(DevCertificate.in(Path.of(a[1])).tls()).build(), (req, res) -> res.send("ok"));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = Integer.parseInt(a[0]);
        List<String> cmd = new ArrayList<>(List.of("curl", "-sk", "-o", "/dev/null"));
        for (int i = 0; i < n; i++) cmd.add("https://127.0.0.1:" + s.port() + "/" + i);
        for (int round = 0; round < 3; round++) {
            long before = mx.getTotalThreadAllocatedBytes();
            new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor();
            long after = mx.getTotalThreadAllocatedBytes();
            System.out.println("round " + round + ": " + (after - before) / n + " bytes allocated per request");
        }
        s.stop(java.time.Duration.ofSeconds(1));
    }
}
