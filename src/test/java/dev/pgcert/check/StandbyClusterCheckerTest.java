package dev.pgcert.check;

import dev.pgcert.history.Event;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The standby cluster's checker on hand-made histories: lag, time to writable, and what it cannot judge. */
class StandbyClusterCheckerTest {

    private static HistoryBuilder lag(HistoryBuilder b, double at, long bytes, double seconds) {
        return b.info(at, "observer", Event.Fn.STANDBY_LAG, "leader", "dr1", "reachable", true, "in_recovery", true,
                "lag_bytes", bytes, "lag_seconds", seconds);
    }

    private static HistoryBuilder role(HistoryBuilder b, double at, boolean inRecovery) {
        return b.info(at, "observer", Event.Fn.STANDBY_LAG, "leader", "dr1", "reachable", true, "in_recovery", inRecovery);
    }

    @Test
    void measuresTheLagBeforePromotionAndTheTimeToWritable() {
        HistoryBuilder b = history();
        lag(b, 1, 1000, 0.1);
        lag(b, 2, 80_000, 0.9);
        lag(b, 3, 500, 0.05);
        b.fault("loss-1", "primary-cluster-loss", "primary-cluster", 4, 4.1);
        role(b, 4.5, true);
        b.fault("promote-1", "standby-promote", "standby:leader", 9, 9.05);
        role(b, 10, true);
        role(b, 11.5, false);

        CheckResult r = new StandbyClusterChecker().check(b.build());

        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("lag_bytes_max", 80_000L).containsEntry("lag_seconds_max", 0.9)
                .containsEntry("promoted_leader", "dr1");
        assertThat((Double) r.metrics().get("time_to_writable")).isCloseTo(2.5, within(1e-6));
        assertThat((Double) r.metrics().get("time_to_writable_from_loss")).isCloseTo(7.5, within(1e-6));
    }

    @Test
    void aPromotionThatNeverGivesAWritableLeaderIsInvalid() {
        HistoryBuilder b = history();
        lag(b, 1, 1000, 0.1);
        b.fault("promote-1", "standby-promote", "standby:leader", 2, 2.05);
        role(b, 3, true);
        b.info(4, "observer", Event.Fn.STANDBY_LAG, "reachable", false, "error", "connection refused");

        CheckResult r = new StandbyClusterChecker().check(b.build());

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.explanation()).contains("never seen out of recovery");
        assertThat(r.metrics()).doesNotContainKey("time_to_writable");
    }

    @Test
    void aWritableLeaderBeforeThePromotionDoesNotCount() {
        HistoryBuilder b = history();
        role(b, 1, false); // e.g. a misconfigured standby that was never a standby
        b.fault("promote-1", "standby-promote", "standby:leader", 2, 2.05);

        CheckResult r = new StandbyClusterChecker().check(b.build());

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void withoutObservationsItCannotJudge() {
        CheckResult r = new StandbyClusterChecker().check(history().write("w1", 1, 1.1, "node1", 1L).build());

        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void withoutPromotionItReportsTheLagOnly() {
        HistoryBuilder b = history();
        lag(b, 1, 2048, 0.3);

        CheckResult r = new StandbyClusterChecker().check(b.build());

        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("lag_bytes_max", 2048L).doesNotContainKey("time_to_writable");
    }
}
