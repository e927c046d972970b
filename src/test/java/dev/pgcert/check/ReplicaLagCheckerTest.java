package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplicaLagCheckerTest {
    private static final long MB = 1024 * 1024;

    /** pg1 leads; pg2 streams from pg1, pg3 cascades from pg2. A fault slows pg2's link from 10 to 20 s. */
    static HistoryBuilder laggingCascade() {
        HistoryBuilder b = history();
        for (int s = 0; s <= 30; s++) {
            long pg2Behind = s >= 10 && s <= 20 ? (s - 9) * 5 * MB : (s > 20 && s < 24 ? (24 - s) * 2 * MB : 0);
            long pg3Hop = s >= 10 && s <= 20 ? 100_000 : 0;
            b.replay(s, "pg2", pg2Behind).replay(s + 0.1, "pg3", pg2Behind + pg3Hop)
                    .lag(s + 0.2, "pg1", "pg2", pg2Behind, pg2Behind / (double) MB * 100)
                    .lag(s + 0.3, "pg2", "pg3", pg3Hop, pg3Hop > 0 ? 50.0 : 0.0);
        }
        return b.fault("slow-1", "latency", "pg2", 10, 20.5);
    }

    @Test
    @SuppressWarnings("unchecked")
    void measuresLagPerReplicaPerHopAndTheCatchUpAfterTheFault() {
        CheckResult r = new ReplicaLagChecker().check(laggingCascade().build());
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        // pg3 is behind pg1 by pg2's lag plus its own hop: 55 MB + 100000 B at 20 s.
        assertThat(r.metrics()).containsEntry("max_bytes", 55 * MB + 100_000).containsEntry("catch_up_threshold_bytes", MB);
        assertThat((double) r.metrics().get("max_seconds")).isCloseTo(5.5, within(1e-9));
        Map<?, ?> byReplica = (Map<?, ?>) r.metrics().get("by_replica");
        assertThat(((Map<?, ?>) byReplica.get("pg2")).get("max_bytes")).isEqualTo(55 * MB);
        assertThat(((Map<?, ?>) byReplica.get("pg3")).get("max_bytes")).isEqualTo(55 * MB + 100_000);
        assertThat((double) ((Map<?, ?>) byReplica.get("pg3")).get("max_seconds")).isCloseTo(0.05, within(1e-9));
        Map<String, ?> byHop = (Map<String, ?>) r.metrics().get("by_hop");
        assertThat(byHop.keySet()).containsExactly("pg1->pg2", "pg2->pg3");
        assertThat(((Map<?, ?>) byHop.get("pg2->pg3")).get("max_bytes")).isEqualTo(100_000L);
        assertThat(((Map<?, ?>) r.metrics().get("during_fault")).get("max_bytes")).isEqualTo(55 * MB + 100_000);
        // After 20.5 s: pg2 at 21 s is 6 MB behind, 22 s 4 MB, 23 s 2 MB, 24 s 0.
        assertThat(((Map<?, ?>) r.metrics().get("after_fault")).get("max_bytes")).isEqualTo(6 * MB);
        // Both replicas are within 1 MB first at 24.1 s (pg3's sample), 3.6 s after the fault ended.
        assertThat((double) r.metrics().get("catch_up")).isCloseTo(3.6, within(1e-6));
        assertThat(r.explanation()).contains("peaked at 55.1 MB (pg3)").contains("within 1 MB 3.6 s after the last fault ended at 20.50 s");
    }

    @Test
    void p99IsANearestRankSample() {
        HistoryBuilder b = history();
        for (int i = 1; i <= 200; i++) {
            b.replay(i * 0.1, "pg2", i * 1000L);
        }
        CheckResult r = new ReplicaLagChecker().check(b.build());
        assertThat(r.metrics()).containsEntry("max_bytes", 200_000L).containsEntry("p99_bytes", 198_000L).containsEntry("samples", 200);
    }

    @Test
    void aReplicaStillBehindAtTheEndIsInvalid() {
        History h = laggingCascade().replay(31, "pg3", 10 * MB).build();
        CheckResult r = new ReplicaLagChecker().check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((double) r.metrics().get("catch_up")).isCloseTo(31 - 20.5, within(1e-6));
        assertThat(r.explanation()).contains("still behind at the end of the history: pg3 10 MB");
    }

    @Test
    void theCatchUpThresholdIsASetting() {
        CheckResult strict = new ReplicaLagChecker(0).check(laggingCascade().build());
        // With threshold 0, pg2 is at 0 from 24 s on, pg3 likewise at 24.1 s: same answer here...
        assertThat((double) strict.metrics().get("catch_up")).isCloseTo(3.6, within(1e-6));
        // ...while a 5 MB threshold accepts pg2's 4 MB at 22 s (pg3 at 22.1 s).
        CheckResult loose = new ReplicaLagChecker(5 * MB).check(laggingCascade().build());
        assertThat((double) loose.metrics().get("catch_up")).isCloseTo(1.6, within(1e-6));
    }

    @Test
    void withoutSamplesLagIsUnknown() {
        CheckResult r = new ReplicaLagChecker().check(history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1).build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
