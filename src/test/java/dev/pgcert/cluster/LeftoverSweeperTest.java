package dev.pgcert.cluster;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which resources the sweeper may remove: only those whose owner JVM on this host is gone. */
class LeftoverSweeperTest {
    private static final String HOST = HarnessLabels.hostName();

    @Test
    void aResourceOfADeadJvmOnThisHostIsAnOrphan() {
        long deadPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
        assertThat(LeftoverSweeper.isOrphan(Map.of(HarnessLabels.OWNER_PID, Long.toString(deadPid), HarnessLabels.OWNER_HOST, HOST)))
                .isTrue();
    }

    @Test
    void aResourceOfThisLiveJvmIsNot() {
        assertThat(LeftoverSweeper.isOrphan(HarnessLabels.forRun("r1"))).isFalse();
    }

    @Test
    void anotherHostsOrAnOwnerlessResourceIsNotOursToJudge() {
        assertThat(LeftoverSweeper.isOrphan(Map.of(HarnessLabels.OWNER_PID, "1", HarnessLabels.OWNER_HOST, "elsewhere"))).isFalse();
        assertThat(LeftoverSweeper.isOrphan(Map.of(HarnessLabels.HARNESS, "true"))).isFalse();
    }
}
