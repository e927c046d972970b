package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReadOffloadCheckerTest {
    private final ReadOffloadChecker checker = new ReadOffloadChecker();

    /** Key k is invoked at (k-1)/10 s and acknowledged 2 ms later. */
    static HistoryBuilder writesAndReads() {
        return history().steadyWrites("w1", 0, 10, 0.1, "pg1", 1)
                .read("r1", 5.0, 5.01, "pg2", true, 48L, 50L)   // misses 49 (acked 4.802) and 50
                .read("r1", 6.0, 6.01, "pg3", true, 60L, 60L)   // saw everything acked
                .read("r1", 7.0, 7.01, "pg1", false, 70L, 70L)
                .fault("kill-pg3", "kill", "pg3", 8.0, 9.0)
                .failedRead("r1", 8.2, 8.3)
                .read("r1", 8.5, 8.51, "pg2", true, 85L, 85L)
                .failedRead("r1", 8.7, 8.8);
    }

    @Test
    void measuresShareAvailabilityAndStaleness() {
        CheckResult r = checker.check(writesAndReads().build());
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("reads", 6).containsEntry("reads_ok", 4).containsEntry("share", 0.75)
                .containsEntry("availability_during_fault", 0.333333)
                .containsEntry("by_node", Map.of("pg1", 1L, "pg2", 2L, "pg3", 1L))
                .containsEntry("stale_primary_reads", 0);
        Map<?, ?> staleness = (Map<?, ?>) r.metrics().get("staleness");
        assertThat(staleness.get("max_keys")).isEqualTo(2L);
        assertThat((double) staleness.get("max_seconds")).isCloseTo(0.198, within(1e-9));
        assertThat((double) staleness.get("p99_seconds")).isCloseTo(0.198, within(1e-9));
        assertThat(r.explanation()).isEqualTo("4 of 6 reads succeeded, 75% of them on replicas; 33.33% of reads during faults"
                + " succeeded; reads were at most 198 ms stale.");
    }

    @Test
    void aPrimaryReadMissingAnAcknowledgedWriteIsInvalid() {
        History h = writesAndReads().read("r2", 7.0, 7.02, "pg2", false, 65L, 70L).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("stale_primary_reads", 1);
        // Key 66 was acknowledged at 6.502 s; the read began at 7.0 s.
        assertThat((double) ((Map<?, ?>) r.metrics().get("staleness")).get("max_seconds")).isCloseTo(0.498, within(1e-9));
        assertThat(r.explanation()).startsWith("1 reads served by a primary missed acknowledged writes; the worst, on pg2 at 7.00 s,"
                + " saw key 65 but missed a write acknowledged 498 ms before it began.");
    }

    @Test
    void aReadOfAnEmptyTableMissesEveryAcknowledgedWrite() {
        History h = history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1).read("r1", 2.0, 2.01, "pg2", true, null, 10L).build();
        Map<?, ?> staleness = (Map<?, ?>) checker.check(h).metrics().get("staleness");
        assertThat((double) staleness.get("max_seconds")).isCloseTo(2.0 - 0.002, within(1e-9));
    }

    @Test
    void withoutReadsOffloadIsUnknown() {
        CheckResult r = checker.check(history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1).build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void withOnlyFailedReadsOffloadIsUnknown() {
        CheckResult r = checker.check(history().failedRead("r1", 1, 1.1).build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.metrics()).doesNotContainKey("share").containsEntry("reads", 1);
    }
}
