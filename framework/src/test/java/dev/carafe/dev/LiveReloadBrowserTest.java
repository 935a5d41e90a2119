package dev.carafe.dev;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A page open in a real browser refreshes itself after a save, as a developer sees it. */
class LiveReloadBrowserTest {
    @TempDir
    Path dir;

    @Test
    void anOpenPageReloadsItselfAfterASave() throws Exception {
        Path chromium = Chromium.binary();
        if ("required".equals(System.getenv("CARAFE_E2E"))) assertNotNull(chromium, "chromium is required (CI installs it)");
        assumeTrue(chromium != null, "chromium not installed");
        try (DevProcess dev = new DevProcess(dir).source(DevProcess.MAIN, DevModeTest.app("one"))
                .source("demo/Greeting.java", DevModeTest.GREETING).source("demo/Boom.java", DevModeTest.BOOM).start();
             Chromium browser = new Chromium(chromium)) {
            Chromium.Page page = browser.open(dev.url + "/");
            awaitEval(page, "document.body && document.body.innerText", "Hello, one!");
            // Wait until the page's live-reload stream is connected, then mark this page instance.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!dev.status().contains("\"liveReloadClients\":1") && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertTrue(dev.status().contains("\"liveReloadClients\":1"), dev.status());
            page.eval("window.carafeMarker = 'before the save'");
            dev.source(DevProcess.MAIN, DevModeTest.app("two"));
            awaitEval(page, "document.body.innerText", "Hello, two!");
            String marker = page.eval("String(window.carafeMarker)");
            assertTrue(marker.contains("\"value\":\"undefined\""), "the page reloaded itself (a new window): " + marker);
        }
    }

    private static void awaitEval(Chromium.Page page, String expression, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = page.eval(expression);
            if (last.contains(expected)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("Page never showed " + expected + "; last: " + last);
    }
}
