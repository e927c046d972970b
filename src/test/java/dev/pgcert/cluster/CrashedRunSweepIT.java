package dev.pgcert.cluster;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM killed with -9 in the middle of a run leaves its containers behind (no Ryuk here, no
 * shutdown hook runs); the next run's sweep removes them.
 */
class CrashedRunSweepIT {

    @Test
    void nextRunSweepsWhatAKilledJvmLeft() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldClusterMain.class.getName(), "topologies/three-node-async.yaml")
                .redirectErrorStream(true);
        Process victim = pb.start();
        String runId = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    runId = line.substring(6).trim();
                    break;
                }
            }
            assertThat(runId).as("the victim JVM started a cluster").isNotNull();
            victim.destroyForcibly(); // SIGKILL: no shutdown hook, no teardown
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            victim.destroyForcibly();
        }

        var docker = DockerClientFactory.instance().client();
        Map<String, String> label = Map.of(HarnessLabels.RUN_ID, runId);
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec())
                .as("containers the killed run left").isNotEmpty();

        int swept = LeftoverSweeper.forLocalDocker().sweepDeadRuns();

        assertThat(swept).isGreaterThanOrEqualTo(5);
        ShippedTopologiesIT.assertNothingLeft(runId);
        assertThat(docker.listVolumesCmd().withFilter("label", List.of(HarnessLabels.RUN_ID + "=" + runId)).exec().getVolumes())
                .isNullOrEmpty();
    }
}
