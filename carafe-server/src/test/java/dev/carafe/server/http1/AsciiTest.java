package dev.carafe.server.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time line-feed search agrees with a plain loop, wherever the LF falls. */
class AsciiTest {
    @Test
    void findsTheFirstLineFeedAtEveryOffsetAndLength() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(40) + 1];
            for (int i = 0; i < b.length; i++) {
                // bytes near LF in value (0x09, 0x0B, 0x8A) and high bytes catch borrow and sign mistakes
                byte[] pool = {'a', 'Z', ' ', '\r', 0x09, 0x0B, (byte) 0x8A, (byte) 0xFF, 0x00, '\n'};
                b[i] = pool[random.nextInt(random.nextInt(4) == 0 ? pool.length : pool.length - 1)];
            }
            int from = random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            assertEquals(plain(b, from, to), Ascii.indexOfLf(b, from, to), () -> java.util.Arrays.toString(b));
        }
    }

    private static int plain(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == '\n') return i;
        return -1;
    }
}
