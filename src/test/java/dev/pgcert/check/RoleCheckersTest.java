package dev.pgcert.check;

import dev.pgcert.history.Event.Fn;
import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static dev.pgcert.history.HistoryBuilder.member;
import static org.assertj.core.api.Assertions.assertThat;

/** The leader, timeline and roles checkers on hand-made histories, and the expectations scenarios write on them. */
class RoleCheckersTest {

    /** pg1 leads with pg2 as synchronous standby; pg1 is killed at 10 s, keeps taking writes until 11.5 s; pg2 takes over. */
    private static History failover() {
        HistoryBuilder b = history()
                .cluster(0.5, "pg1", member("pg1", "leader", "running", 1), member("pg2", "sync_standby", "streaming", 1),
                        member("pg3", "replica", "streaming", 1))
                .info(0.6, "sampler", Fn.LEADER_CONFIG, "node", "pg1", "synchronous_standby_names", "\"pg2\"", "slots", List.of("pg2", "pg3", "keep"))
                .steadyWrites("w1", 1, 11.5, 0.5, "pg1", 1)
                .fault("f1", "kill", "pg1", 10, 30.0)
                .cluster(14, null, member("pg2", "replica", "streaming", 1), member("pg3", "replica", "streaming", 1))
                .cluster(18, "pg2", member("pg2", "leader", "running", 2), member("pg3", "sync_standby", "streaming", 2))
                .info(18.1, "sampler", Fn.LEADER_CONFIG, "node", "pg2", "synchronous_standby_names", "\"pg3\"", "slots", List.of("pg1", "pg3"))
                .steadyWrites("w1", 18, 20, 0.5, "pg2", 2)
                .cluster(35, "pg2", member("pg1", "replica", "streaming", 2), member("pg2", "leader", "running", 2),
                        member("pg3", "sync_standby", "streaming", 2));
        return b.build();
    }

    /** A fault that must not move the leader: pg3 is stopped and comes back. */
    private static History leaderHeld() {
        return history()
                .cluster(0.5, "pg1", member("pg1", "leader", "running", 3), member("pg2", "replica", "streaming", 3))
                .fault("f1", "stop", "pg2", 5, 10.0)
                .steadyWrites("w1", 1, 12, 0.5, "pg1", 3)
                .cluster(20, "pg1", member("pg1", "leader", "running", 3), member("pg2", "replica", "streaming", 3))
                .build();
    }

    private static Map<String, Object> metrics(History h) {
        return Checkers.runAll(h, List.of(new LeaderChecker(), new TimelineChecker(), new RolesChecker())).metrics();
    }

    @Test
    void aFailoverChangesTheLeaderAndTheTimeline() {
        CheckResult leader = new LeaderChecker().check(failover());
        assertThat(leader.verdict()).isEqualTo(Verdict.VALID);
        assertThat(leader.metrics()).containsEntry("before", "pg1").containsEntry("after", "pg2").containsEntry("changed", "true")
                .containsEntry("changes", 1).containsEntry("old_primary", "pg1");
        CheckResult timeline = new TimelineChecker().check(failover());
        assertThat(timeline.metrics()).containsEntry("before", 1L).containsEntry("after", 2L).containsEntry("changed", "true")
                .containsEntry("increments", 1L);
    }

    @Test
    void theOldPrimaryKeptAcceptingWritesUntilItsLastAcknowledgement() {
        CheckResult r = new LeaderChecker().check(failover());
        // writes every 0.5 s from 1 s while pg1 took them: 10.0, 10.5 and 11.0 are after the fault at 10 s
        assertThat(r.metrics()).containsEntry("old_primary_writes_after_fault", 3L);
        assertThat((Double) r.metrics().get("old_primary_writes_for")).isCloseTo(1.0 + HistoryBuilder.WRITE_LATENCY, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.explanation()).contains("The old primary pg1 acknowledged 3 writes after the fault started");
    }

    @Test
    void aHeldLeaderIsUnchangedAndItsWritesAfterTheFaultAreNormal() {
        Map<String, Object> m = metrics(leaderHeld());
        assertThat(m).containsEntry("leader.changed", "false").containsEntry("leader.changes", 0)
                .containsEntry("timeline.changed", "false").containsEntry("timeline.increments", 0L);
    }

    @Test
    void scenariosAssertTheLeaderAndTimelineAndTheAssertionFailsOnAFailover() {
        Map<String, Object> held = metrics(leaderHeld());
        Map<String, Object> moved = metrics(failover());
        Expectation unchanged = Expectation.parse("leader.changed", "false");
        assertThat(unchanged.evaluate(held).passed()).isTrue();
        ExpectationResult failed = unchanged.evaluate(moved);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.category()).isEqualTo(Category.ROLES);
        Expectation oneMore = Expectation.parse("timeline.increments", "1");
        assertThat(oneMore.evaluate(moved).passed()).isTrue();
        assertThat(oneMore.evaluate(held).passed()).isFalse();
        Expectation fenced = Expectation.parse("leader.old_primary_writes_for", "< 500ms");
        assertThat(fenced.evaluate(moved).passed()).as("pg1 took writes for 1 s after the fault").isFalse();
    }

    @Test
    void rolesAtTheEndAndTheSynchronousStandbyBeforeAndAfter() {
        CheckResult r = new RolesChecker().check(failover());
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("by_role", Map.of("leader", 1, "replica", 1, "sync_standby", 1))
                .containsEntry("sync_standby_before", "pg2").containsEntry("sync_standby_after", "pg3")
                .containsEntry("sync_standby_changed", "true")
                .containsEntry("synchronous_standby_names_before", "\"pg2\"").containsEntry("synchronous_standby_names_after", "\"pg3\"");
        Map<String, Object> m = metrics(failover());
        assertThat(Expectation.parse("roles.by_role.replica", "1").evaluate(m).passed()).isTrue();
        assertThat(Expectation.parse("roles.by_role.leader", "== 1").evaluate(m).passed()).isTrue();
        assertThat(Expectation.parse("roles.sync_standby_after", "pg2").evaluate(m).passed()).isFalse();
    }

    @Test
    void aSlotTheNewPrimaryLacksIsMissingButNotTheOneNamedForItself() {
        CheckResult r = new RolesChecker().check(failover());
        // before on pg1: pg2, pg3, keep; after on pg2: pg1, pg3. "pg2" is pg2's own name; "keep" did not survive.
        assertThat(r.metrics()).containsEntry("slots_before", List.of("keep", "pg2", "pg3")).containsEntry("slots_after", List.of("pg1", "pg3"))
                .containsEntry("slots_missing", 1).containsEntry("missing_slots", List.of("keep"));
        assertThat(Expectation.parse("roles.slots_missing", "0").evaluate(metrics(failover())).passed()).isFalse();
    }

    @Test
    void withoutClusterSamplesNothingIsMeasured() {
        History h = history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1).build();
        assertThat(new LeaderChecker().check(h).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(new TimelineChecker().check(h).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(new RolesChecker().check(h).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(Expectation.parse("leader.changed", "false").evaluate(Checkers.runAll(h, List.of(new LeaderChecker()))).undetermined()).isTrue();
    }

    @Test
    void aRangeOnTheOldPrimarysWriteWindow() {
        Map<String, Object> m = metrics(failover());
        assertThat(Expectation.parse("leader.old_primary_writes_for", "500ms..2s").evaluate(m).passed()).isTrue();
        assertThat(Expectation.parse("leader.old_primary_writes_for", ">= 0s, < 1s").evaluate(m).passed()).isFalse();
    }
}
