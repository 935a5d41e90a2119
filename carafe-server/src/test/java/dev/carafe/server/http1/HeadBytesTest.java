package dev.carafe.server.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-made Date line agrees with the JDK's formatter (RFC 9110 §5.6.7 IMF-fixdate). */
class HeadBytesTest {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void formatsLikeTheJdk() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HeadBytes.imfFixdate(784111777L)); // the RFC's example
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long second = random.nextLong(0, 4_102_444_800L); // 1970 to 2100
            assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(second)), HeadBytes.imfFixdate(second));
        }
    }

    @Test
    void theDateLineIsCurrent() {
        HeadBytes.refreshDate();
        String line = new String(HeadBytes.dateLine(), java.nio.charset.StandardCharsets.ISO_8859_1);
        long now = System.currentTimeMillis() / 1000;
        String expected = "Date: " + HeadBytes.imfFixdate(now) + "\r\n";
        String alsoOk = "Date: " + HeadBytes.imfFixdate(now - 1) + "\r\n"; // the second may just have turned
        assertEquals(true, line.equals(expected) || line.equals(alsoOk), line);
    }
}
