package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static dev.pgcert.history.HistoryBuilder.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FailoverTimeCheckerTest {
    private final FailoverTimeChecker checker = new FailoverTimeChecker();

    /** Three nodes, pg1 leads on timeline 1, is killed at 10 s and restarted at 35 s. */
    static HistoryBuilder killLeader() {
        return history()
                .leader(0.5, null, "pg1", 1L)
                .cluster(5.0, "pg1", member("pg1", "leader", "running", 1), member("pg2", "replica", "running", 1),
                        member("pg3", "replica", "running", 1))
                .steadyWrites("w1", 0, 10, 0.1, "pg1", 1)         // last ok 9.902
                .fault("kill-1", "kill", "pg1", 10.0, 35.0)
                .failingWrites("w1", 10.0, 21.0, 0.5)
                .leader(17.6, "pg1", "pg2", 2L)
                .cluster(18.0, "pg2", member("pg2", "leader", "running", 2), member("pg3", "replica", "running", 2))
                .steadyWrites("w1", 21.0, 40.0, 0.1, "pg2", 2)    // first ok 21.002
                .cluster(36.0, "pg2", member("pg2", "leader", "running", 2), member("pg3", "replica", "running", 2),
                        member("pg1", "replica", "starting", 2))
                .cluster(40.0, "pg2", member("pg2", "leader", "running", 2), member("pg3", "replica", "running", 2),
                        member("pg1", "replica", "running", 2));
    }

    @Test
    void measuresClientDcsAndRedundancyTimesOfAKilledLeader() {
        CheckResult r = checker.check(killLeader().build());

        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat((double) r.metrics().get("client")).isCloseTo(11.1, within(1e-6));
        assertThat((double) r.metrics().get("dcs")).isCloseTo(7.6, within(1e-6));
        assertThat((double) r.metrics().get("redundancy")).isCloseTo(30.0, within(1e-6));
        assertThat(r.metrics()).containsEntry("old_leader", "pg1").containsEntry("new_leader", "pg2");
        @SuppressWarnings("unchecked")
        Map<String, Object> gaps = (Map<String, Object>) r.metrics().get("write_gaps");
        assertThat((double) gaps.get("longest")).isCloseTo(11.1, within(1e-6));
        assertThat((double) gaps.get("longest_at")).isCloseTo(9.902, within(1e-6));
        assertThat((double) gaps.get("resolution")).isCloseTo(0.1, within(1e-6));
        assertThat(r.explanation()).startsWith("Writes were down 11.1 s: last ok at 9.90 s, first ok after the fault at 21.00 s.")
                .contains("DCS named pg2 leader 7.6 s after the fault (was pg1)")
                .contains("with pg1 as replica after 30 s");
    }

    @Test
    void theHeadlineTimesTheFirstStepThatDisruptsNotAPauseOrConfigBeforeIt() {
        // A config step at 4 s (ttl changed), then the kill at 10 s: the failover is timed from the kill.
        History h = killLeader().settingStep("cfg", "config", 4.0, 40.0).build();
        CheckResult r = checker.check(h);
        assertThat((double) r.metrics().get("dcs")).isCloseTo(7.6, within(1e-6));
        assertThat((double) r.metrics().get("client")).isCloseTo(11.1, within(1e-6));
        assertThat((double) r.metrics().get("fault_at")).isCloseTo(10.0, within(1e-6));
        @SuppressWarnings("unchecked")
        Map<String, Object> byFault = (Map<String, Object>) r.metrics().get("by_fault");
        assertThat(byFault).containsKeys("cfg", "kill-1");
        // Without the flag (a history written before it existed) the first window is the headline, as before.
        History old = killLeader().fault("cfg", "config", "cluster", 4.0, 40.0).build();
        assertThat((double) checker.check(old).metrics().get("dcs")).isCloseTo(13.6, within(1e-6));
        // Only setting steps: the first of them is timed (nothing better to time).
        History pauseOnly = history().leader(0.5, null, "pg1", 1L).steadyWrites("w1", 0, 10, 0.1, "pg1", 1)
                .settingStep("p", "pause", 3.0, 6.0).build();
        assertThat(pauseOnly.firstFault()).get().extracting(w -> w.id()).isEqualTo("p");
    }

    @Test
    void dcsTimeTakesEtcdsLeaderKeyWhenTheClusterSamplesLagBehindIt() {
        // A primary cut off from everything: the key observer sees pg2 take etcd's leader key at 16.0 s,
        // the /cluster samples (served by a member's REST API) name pg2 only at 17.6 s.
        History h = killLeader()
                .info(1.0, "observer", dev.pgcert.history.Event.Fn.DCS_LEADER_KEY, "holder", "pg1", "lease", "1")
                .info(15.9, "observer", dev.pgcert.history.Event.Fn.DCS_LEADER_KEY, "holder", null, "lease", null)
                .info(16.0, "observer", dev.pgcert.history.Event.Fn.DCS_LEADER_KEY, "holder", "pg2", "lease", "2")
                .build();

        CheckResult r = checker.check(h);

        assertThat((double) r.metrics().get("dcs")).isCloseTo(6.0, within(1e-6));
        assertThat(r.metrics()).containsEntry("old_leader", "pg1").containsEntry("new_leader", "pg2");
        assertThat(r.explanation()).contains("DCS named pg2 leader 6 s after the fault (was pg1)");
    }

    @Test
    void dcsTimeKeepsTheSampledLeaderWhenItCameFirst() {
        // The key observer polls and saw the new holder later than a sample did: the earlier one counts.
        History h = killLeader()
                .info(18.5, "observer", dev.pgcert.history.Event.Fn.DCS_LEADER_KEY, "holder", "pg2", "lease", "2")
                .build();

        assertThat((double) checker.check(h).metrics().get("dcs")).isCloseTo(7.6, within(1e-6));
    }

    @Test
    void writesThatStillCommitJustAfterTheFaultEdgeDoNotHideTheOutage() {
        // The nemesis logs the kill at 9.95 s; writes in flight still commit until 10.002 s.
        History h = history()
                .leader(0.5, null, "pg1", 1L)
                .steadyWrites("w1", 0, 10.05, 0.1, "pg1", 1)       // last ok 10.002
                .fault("kill-1", "kill", "pg1", 9.95, 9.95)
                .failingWrites("w1", 10.1, 21.0, 0.5)
                .leader(17.6, "pg1", "pg2", 2L)
                .steadyWrites("w1", 21.0, 25.0, 0.1, "pg2", 2)
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat((double) r.metrics().get("client")).isCloseTo(11.0, within(1e-6));
    }

    @Test
    void writesThatNeverRecoverAreInvalidAndFailEveryLimitHoweverShortTheRun() {
        History h = history()
                .leader(0.5, null, "pg1", 1L)
                .steadyWrites("w1", 0, 10, 0.1, "pg1", 1)
                .fault("kill-1", "kill", "pg1", 10.0, null)
                .failingWrites("w1", 10.0, 30.0, 0.5)              // last failure at 29.501 s
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((double) r.metrics().get("client")).isInfinite();
        assertThat((double) r.metrics().get("client_observed_down")).isCloseTo(29.501 - 9.902, within(1e-6));
        assertThat(r.metrics()).doesNotContainKeys("dcs", "redundancy");
        assertThat(r.explanation()).startsWith("Writes never recovered: last ok at 9.90 s, none in the 19.6 s to the end of the history");
        // The history watched writes fail for 19.6 s only; a 30 s limit must fail all the same.
        var result = Expectation.parse("failover_time.client", "< 30s").evaluate(r.qualifiedMetrics());
        assertThat(result.passed()).isFalse();
        assertThat(result.measured()).isEqualTo("never (no recovery)");
    }

    @Test
    void writesThatRecoverBrieflyThenStopForGoodAreInvalid() {
        History h = history()
                .leader(0.5, null, "pg1", 1L)
                .steadyWrites("w1", 0, 10, 0.1, "pg1", 1)
                .fault("part-1", "partition", "pg1", 10.0, 60.0)
                .leader(12.0, "pg1", "pg2", 2L)
                .steadyWrites("w1", 13.0, 14.0, 0.1, "pg2", 2)    // back for a second, last ok 13.902
                .failingWrites("w1", 14.0, 50.0, 1.0)             // then failing until the load stops
                .info(62.0, "sampler", "cluster")
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((double) r.metrics().get("client")).isInfinite();
        assertThat((double) r.metrics().get("client_observed_down")).isCloseTo(62.0 - 13.902, within(1e-6));
    }

    @Test
    void aWriteHangingAcrossTheFaultUntilTheEndHasNotRecovered() {
        History h = history()
                .steadyWrites("w1", 0, 10, 0.1, "pg1", 1)
                .invoke(9.95, "w1", "write", "key", 999L)          // never returns: no TCP timeout
                .fault("part-1", "partition", "pg1", 10.0, 20.0)
                .info(30.0, "sampler", "cluster")
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((double) r.metrics().get("client")).isInfinite();
        assertThat((double) r.metrics().get("client_observed_down")).isCloseTo(30.0 - 9.902, within(1e-6));
    }

    @Test
    void aFaultThatKeepsTheLeaderReportsNoDcsTime() {
        History h = history()
                .leader(0.5, null, "pg1", 1L)
                .cluster(5.0, "pg1", member("pg1", "leader", "running", 1), member("pg2", "replica", "running", 1),
                        member("pg3", "replica", "running", 1))
                .steadyWrites("w1", 0, 20, 0.1, "pg1", 1)
                .fault("kill-pg3", "kill", "pg3", 10.0, 12.0)
                .cluster(11.0, "pg1", member("pg1", "leader", "running", 1), member("pg2", "replica", "running", 1))
                .cluster(13.0, "pg1", member("pg1", "leader", "running", 1), member("pg2", "replica", "running", 1),
                        member("pg3", "replica", "running", 1))
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat((double) r.metrics().get("client")).isCloseTo(0.1, within(1e-6));
        assertThat(r.metrics()).doesNotContainKey("dcs").containsEntry("old_leader", "pg1");
        assertThat((double) r.metrics().get("redundancy")).isCloseTo(3.0, within(1e-6));
        assertThat(r.explanation()).contains("The leader stayed pg1.");
    }

    @Test
    void withoutFaultsOnlyWriteGapsAreMeasured() {
        History h = history().steadyWrites("w1", 0, 5, 0.1, "pg1", 1).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsOnlyKeys("write_gaps");
        assertThat(r.explanation()).contains("No fault in the history");
    }

    @Test
    void noWriteAttemptedAfterTheFaultIsUnknown() {
        History h = history().steadyWrites("w1", 0, 10, 0.1, "pg1", 1).fault("k", "kill", "pg1", 12.0, 13.0).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.metrics()).doesNotContainKey("client");
    }

    @Test
    void everyFaultGetsItsOwnTimes() {
        History h = killLeader()
                .fault("kill-2", "kill", "pg2", 40.0, 45.0)
                .failingWrites("w1", 40.0, 44.0, 0.5)
                .leader(42.0, "pg2", "pg3", 3L)
                .steadyWrites("w1", 44.0, 46.0, 0.1, "pg3", 3)
                .build();
        CheckResult r = checker.check(h);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byFault = (Map<String, Map<String, Object>>) r.metrics().get("by_fault");
        assertThat((double) byFault.get("kill-1").get("client")).isCloseTo(11.1, within(1e-6));
        assertThat((double) byFault.get("kill-2").get("client")).isCloseTo(44.002 - 39.902, within(1e-6));
        assertThat((double) byFault.get("kill-2").get("dcs")).isCloseTo(2.0, within(1e-6));
        assertThat((double) r.metrics().get("client")).isCloseTo(11.1, within(1e-6));
    }
}
