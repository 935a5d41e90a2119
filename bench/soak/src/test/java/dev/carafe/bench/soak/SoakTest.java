package dev.carafe.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The soak for {@code -Dsoak.seconds} seconds (60 in CI). It runs when CI is set ({@code CI=true}
 * or {@code CARAFE_E2E=required}, as {@code .ci/run} does) or when {@code -Dsoak.seconds} is given;
 * {@code -DskipSoak} skips it anyway; {@code -Dsoak.rate} sets the HTTP requests a second (150).
 * The ten-minute soak: {@code bench/soak.sh}.
 */
class SoakTest {
    @Test
    void steadyMixedLoadLeavesTheServerAsItFoundIt() throws Exception {
        String seconds = System.getProperty("soak.seconds");
        boolean ci = "true".equals(System.getenv("CI")) || "required".equals(System.getenv("CARAFE_E2E"));
        Assumptions.assumeFalse(Boolean.parseBoolean(System.getProperty("skipSoak", "false")), "-DskipSoak");
        Assumptions.assumeTrue(ci || seconds != null, "the soak runs in CI, or with -Dsoak.seconds=N (bench/soak.sh)");
        int n = seconds == null ? 60 : Integer.parseInt(seconds);
        Soak.Result r = Soak.run(new Soak.Options(n, Integer.getInteger("soak.rate", 150), Path.of("target", "soak")), System.out);
        assertEquals(List.of(), r.problems());
    }
}
