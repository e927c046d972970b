package dev.pgcert.fault.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the compatible server's own self test (src/test/python/toxiproxy_selftest.py) on the host:
 * the server, an echo and a byte source on loopback, no Docker. Skipped when the host has no
 * Python 3.11 or later (the image has it; the host may not).
 */
class ToxiproxyCompatServerTest {

    private static final Duration SELF_TEST_LIMIT = Duration.ofMinutes(2);

    @Test
    void selfTestPasses() throws IOException, InterruptedException {
        assumeTrue(hostHasPython311(), "python3 >= 3.11 not on this host");
        Path projectDir = Path.of(System.getProperty("pgcert.project.dir", System.getProperty("user.dir")));
        Process process = new ProcessBuilder("python3", "-B", "-W", "ignore",
                projectDir.resolve("src/test/python/toxiproxy_selftest.py").toString())
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(SELF_TEST_LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("self test finished within %s; output:%n%s", SELF_TEST_LIMIT, output).isTrue();
        assertThat(process.exitValue()).as("self test output:%n%s", output).isZero();
    }

    private static boolean hostHasPython311() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("python3", "-c",
                    "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)").start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException noPython) {
            return false;
        }
    }
}
