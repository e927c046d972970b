package dev.pgcert.fault;

import dev.pgcert.cluster.Waits;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pgcert.fault.FaultTestCluster.measure;
import static org.assertj.core.api.Assertions.assertThat;

/** DCS faults on one shared cluster of 3 nodes and 3 etcd members. */
class DcsFaultsIT {
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of("dcs", 3, Optional.empty());

    /** Two of three etcd members still form a quorum: the leader keeps its key and writes go on. */
    @Test
    void oneEtcdMemberDownKeepsTheLeaderAndWrites() throws Exception {
        String leader = c.leader();
        Fault kill = c.nemesis.start(c.fault("etcd-down", Map.of("kind", "etcd-kill", "target", "etcd")));
        assertThat(kill.target()).startsWith("etcd");
        // Longer than the leader key lives without renewal: had renewals failed, it would have expired.
        Duration hold = c.budgets.ttl().plus(c.budgets.loopWait());
        AtomicInteger writes = new AtomicInteger();
        holdsFor(hold, "leader " + leader + " kept and writes through the router accepted, one etcd member down", () -> {
            assertThat(c.leaderSeenByOthers(leader).or(() -> Optional.of(c.leader()))).contains(leader);
            try (Connection conn = c.connectRouter(); Statement s = conn.createStatement()) {
                s.executeUpdate("INSERT INTO fault_probe (payload) VALUES ('etcd member down')");
                writes.incrementAndGet();
            }
        });
        assertThat(c.leader()).isEqualTo(leader);
        assertThat(c.inRecovery(leader)).isFalse();
        FaultTestCluster.record("etcd-kill (1 of 3)", "leader unchanged, writes through the router (" + writes + " writes) for",
                c.budgets.ttl().plus(c.budgets.loopWait()).toMillis(), "ms", "-");
    }

    /** Without failsafe_mode, a leader that cannot reach a DCS quorum demotes itself: no primary at all. */
    @Test
    void quorumLossDemotesThePrimaryWithoutFailsafe() {
        String leader = c.leader();
        Fault loss = c.nemesis.start(c.fault("quorum-loss", Map.of("kind", "etcd-quorum-loss")));
        long lostAt = System.nanoTime();
        assertThat((List<?>) loss.detail().get("killed")).hasSize(2);
        Waits.until(leader + " to demote itself", c.budgets.selfDemotion(), c.budgets.poll(),
                () -> new Waits.Probe(c.inRecoveryOrFalse(leader), leader + " in recovery: " + c.inRecoveryOrFalse(leader)));
        Duration demoted = since(lostAt);
        measure("etcd-quorum-loss (failsafe off)", "primary in recovery", demoted, c.budgets.selfDemotion());
        for (String n : c.cluster.nodes().keySet()) {
            assertThat(c.inRecoveryOrFalse(n)).as("%s is no primary without a DCS", n).isTrue();
        }
        // Without a quorum Patroni 4.0.7 still answers /cluster from its last DCS read; with every etcd member
        // down it cannot, and a fault aimed at a role must still get a view (from each member's own /patroni),
        // not "no Patroni REST API answers": every member is a replica now.
        Fault lastMember = c.nemesis.start(c.fault("last-etcd", Map.of("kind", "etcd-kill", "target", "etcd")));
        dev.pgcert.cluster.ClusterView view = c.cluster.clusterView();
        assertThat(view.fromDcs()).as(view.summary()).isFalse();
        assertThat(view.members()).hasSize(c.cluster.nodes().size());
        assertThat(view.leader()).as(view.summary()).isEmpty();
        c.nemesis.heal(lastMember);
        long healedAt = System.nanoTime();
        c.nemesis.heal(loss);
        Waits.until("a primary again", c.budgets.rejoin(), c.budgets.poll(),
                () -> new Waits.Probe(c.cluster.nodes().keySet().stream().anyMatch(n -> !c.inRecoveryOrTrue(n)), "all in recovery"));
        measure("etcd-quorum-loss (failsafe off)", "a primary after etcd restarts", since(healedAt), c.budgets.rejoin());
    }

    /**
     * With failsafe_mode on, Patroni documents that a leader which loses the DCS keeps running as primary
     * as long as it reaches every member listed in the /failsafe key through their REST API.
     */
    @Test
    void quorumLossWithFailsafeKeepsThePrimary() throws Exception {
        String leader = c.leader();
        c.patchConfig("{\"failsafe_mode\": true}");
        try {
            // The leader publishes the members it must reach in the /failsafe key on its next loops.
            Waits.until("the /failsafe key to list every member", c.budgets.failover(), c.budgets.poll(), () -> {
                String key = c.etcdGet("/service/dcs/failsafe");
                return new Waits.Probe(c.cluster.nodes().keySet().stream().allMatch(key::contains), "/failsafe = " + key);
            });
            Fault loss = c.nemesis.start(c.fault("quorum-loss", Map.of("kind", "etcd-quorum-loss")));
            // Well past the point where, without failsafe, it had demoted itself (selfDemotion).
            AtomicInteger writes = new AtomicInteger();
            holdsFor(c.budgets.selfDemotion().plus(c.budgets.ttl()), leader + " stays primary and takes writes with failsafe_mode", () -> {
                assertThat(c.inRecovery(leader)).as("%s stays primary with failsafe_mode", leader).isFalse();
                assertThat(c.write(leader)).isEqualTo(leader);
                writes.incrementAndGet();
            });
            FaultTestCluster.record("etcd-quorum-loss (failsafe on)", "primary kept taking writes without a DCS (" + writes + " writes) for",
                    c.budgets.selfDemotion().plus(c.budgets.ttl()).toMillis(), "ms", "demotes after " + c.budgets.selfDemotion().toMillis() + " ms without failsafe");
            c.nemesis.heal(loss);
            c.cluster.awaitHealthy(c.budgets.rejoin());
            assertThat(c.leader()).isEqualTo(leader);
        } finally {
            c.nemesis.healAll();
            c.cluster.awaitHealthy(c.budgets.rejoin());
            c.patchConfig("{\"failsafe_mode\": false}");
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    /** {@code check} holds at every poll, half a loop_wait apart, for the whole of {@code hold}. */
    private static void holdsFor(Duration hold, String what, ThrowingRunnable check) {
        c.holdsFor(hold, c.budgets.loopWait().dividedBy(2), what, check);
    }
}
