package dev.carafe.server.http2;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a thread dump, which lists virtual threads too (Thread.getAllStackTraces does not). */
final class ThreadDump {
    private ThreadDump() {}

    static String take() throws Exception {
        Path dump = Files.createTempFile("threads", ".txt");
        Files.delete(dump); // the dump refuses to overwrite
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            return Files.readString(dump);
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /** Threads that are in the HTTP/2 reader loop or running a stream now. */
    static long http2Threads() throws Exception {
        String dump = take();
        return dump.lines().filter(l -> l.contains("Http2Connection.loop(") || l.contains("StreamExchange.run(")).count();
    }
}
