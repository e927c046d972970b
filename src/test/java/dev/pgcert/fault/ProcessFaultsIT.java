package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Waits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.pgcert.fault.FaultTestCluster.measure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process and container faults on the primary of one shared 3-node cluster (one etcd member: these
 * faults do not touch the DCS). Each test heals and waits for a whole cluster before the next.
 */
class ProcessFaultsIT {
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of("proc", 1, Optional.empty());

    @Test
    void killOfThePrimaryFailsOverAndTheOldPrimaryRejoinsAsReplica() {
        String old = c.leader();
        Fault kill = c.nemesis.start(c.fault("kill-primary", Map.of("kind", "kill", "target", "primary")));
        long killedAt = System.nanoTime();
        assertThat(kill.target()).isEqualTo(old);

        String next = c.awaitNewLeader(old, c.budgets.failover());
        measure("kill", "new leader after SIGKILL of primary", since(killedAt), c.budgets.failover());
        assertThat(next).isNotEqualTo(old);

        long healedAt = System.nanoTime();
        c.nemesis.heal(kill);
        c.awaitStreaming(old, next, c.budgets.rejoin());
        measure("kill", "old primary streaming as replica after docker start", since(healedAt), c.budgets.rejoin());
        assertThat(c.inRecovery(old)).isTrue();
    }

    /**
     * A frozen primary (every process stopped, sockets open: a VM pause, a stalled disk) loses its key
     * after ttl and a replica is promoted. What happens on thaw depends on the Patroni version: from
     * 3.0.3 on the old primary finds another leader and demotes itself. Patroni 3.0.2 (Debian bookworm's)
     * with etcd3 may instead take the leader key back: on waking it trusts its cached view (still
     * "I lead"), makes a new lease and writes the leader key unconditionally over the new leader's
     * (fixed upstream by patroni PR 2689, "make sure the leader key isn't unconditionally overwritten").
     * The promoted node is then left on a newer timeline it cannot stream from, and its writes are lost.
     * The test accepts that outcome only on a version that has the defect, and repairs the cluster after.
     */
    @Test
    void freezeOfThePrimaryFailsOverAndOnThawOneLeaderRemains() {
        String old = c.leader();
        Fault freeze = c.nemesis.start(c.fault("freeze-primary", Map.of("kind", "freeze", "target", "primary")));
        long frozenAt = System.nanoTime();

        String next = c.awaitNewLeader(old, c.budgets.failover());
        measure("freeze", "new leader after docker pause of primary", since(frozenAt), c.budgets.failover());
        long promotedTimeline = c.timeline(next);

        long thawedAt = System.nanoTime();
        c.nemesis.heal(freeze);
        c.settleAfterStaleLeaderWakes("freeze", old, next, promotedTimeline, thawedAt);
    }

    /**
     * SIGSTOP of the primary's agent only: PostgreSQL runs on, the key expires, a replica is promoted.
     * On SIGCONT the agent resumes mid-loop with its cached view, exactly like a thawed container.
     */
    @Tag("nightly")
    @Test
    void patroniStopOfThePrimaryFailsOverAndOnContinueOneLeaderRemains() {
        String old = c.leader();
        Fault stop = c.nemesis.start(c.fault("stop-agent", Map.of("kind", "patroni-stop", "target", "primary")));
        long stoppedAt = System.nanoTime();
        String next = c.awaitNewLeader(old, c.budgets.failover());
        measure("patroni-stop", "new leader after SIGSTOP of primary's agent", since(stoppedAt), c.budgets.failover());
        assertThat(c.inRecovery(old)).as("PostgreSQL of a stopped agent is still a primary").isFalse();
        long promotedTimeline = c.timeline(next);
        long continuedAt = System.nanoTime();
        c.nemesis.heal(stop);
        c.settleAfterStaleLeaderWakes("patroni-stop", old, next, promotedTimeline, continuedAt);
    }

    /** A reboot: docker restart sends SIGTERM (Patroni releases the key), then starts the node again. */
    @Tag("nightly")
    @Test
    void restartOfThePrimaryHandsOverAndTheNodeRejoins() {
        String old = c.leader();
        long restartAt = System.nanoTime();
        c.nemesis.start(c.fault("restart-primary", Map.of("kind", "restart", "target", "primary", "grace", "30s")));
        String next = c.awaitNewLeader(old, c.budgets.failover());
        c.awaitStreaming(old, next, c.budgets.rejoin());
        measure("restart", "new leader and old primary streaming again", since(restartAt), c.budgets.rejoin());
    }

    /**
     * Patroni's behaviour when its agent dies and PostgreSQL lives (no watchdog configured, as here):
     * PostgreSQL goes on accepting writes; the leader key is not renewed and expires after ttl; a
     * replica wins the race and promotes. The old primary keeps running as a primary (two primaries:
     * a split brain that only a watchdog would prevent); the router stops sending to it since its
     * /primary check no longer answers. When the agent comes back it finds another leader and demotes
     * PostgreSQL, rewinding it to follow the new primary.
     */
    @Test
    void patroniKillLeavesPostgresWritableUntilTheKeyExpiresThenAnotherNodeLeads() throws SQLException {
        String old = c.leader();
        Fault kill = c.nemesis.start(c.fault("kill-agent", Map.of("kind", "patroni-kill", "target", "primary")));
        long killedAt = System.nanoTime();
        assertThat(kill.detail()).containsKey("patroni_pid");

        assertThat(c.write(old)).as("PostgreSQL on %s takes writes with its agent dead", old).isEqualTo(old);

        String next = c.awaitNewLeader(old, c.budgets.failover());
        Duration failover = since(killedAt);
        measure("patroni-kill", "new leader after SIGKILL of primary's agent", failover, c.budgets.failover());
        assertThat(failover).as("the leader key lives ttl after the last renewal").isGreaterThan(c.budgets.ttl().minus(c.budgets.loopWait()));

        // Nobody demotes the old primary while its agent is dead.
        assertThat(c.inRecovery(old)).as("%s still a primary after %s was promoted", old, next).isFalse();
        assertThat(c.write(old)).isEqualTo(old);
        assertThat(c.inRecovery(next)).isFalse();

        long healedAt = System.nanoTime();
        c.nemesis.heal(kill);
        c.awaitStreaming(old, next, c.budgets.rejoin());
        measure("patroni-kill", "old primary demoted and streaming after start-patroni", since(healedAt), c.budgets.rejoin());
    }

    /**
     * Patroni's behaviour when the postmaster dies under a running agent: on its next loop it finds
     * PostgreSQL down and, still holding the leader key, starts it again as primary on the same node
     * ("starting primary after failure", within master_start_timeout) rather than failing over. The
     * timeline does not change.
     */
    @Test
    void postmasterKillIsRepairedByPatroniOnTheSameNodeWithoutFailover() {
        String old = c.leader();
        String startBefore = c.query(old, "SELECT pg_postmaster_start_time()::text").get(0);
        long timelineBefore = c.timeline(old);
        AtomicBoolean leaderChanged = new AtomicBoolean();

        Fault kill = c.nemesis.start(c.fault("kill-postmaster", Map.of("kind", "postmaster-kill", "target", "primary")));
        long killedAt = System.nanoTime();
        assertThat(kill.detail()).containsKey("postmaster_pid");

        Waits.until("PostgreSQL on " + old + " to run again as primary", c.budgets.rejoin(), c.budgets.poll(), () -> {
            c.leaderSeenByOthers(old).filter(l -> !l.equals(old)).ifPresent(l -> leaderChanged.set(true));
            try {
                String start = c.query(old, "SELECT pg_postmaster_start_time()::text").get(0);
                boolean restarted = !start.equals(startBefore) && !c.inRecovery(old);
                return new Waits.Probe(restarted, "postmaster started " + start);
            } catch (RuntimeException e) {
                return Waits.Probe.notYet("down: " + e.getMessage());
            }
        });
        measure("postmaster-kill", "PostgreSQL back as primary on the same node", since(killedAt), c.budgets.rejoin());
        c.nemesis.heal(kill);

        assertThat(leaderChanged).as("no other node led meanwhile").isFalse();
        assertThat(c.cluster.clusterView().leader().map(ClusterView.Member::name)).contains(old);
        // Patroni 3.0 starts a crashed primary in recovery first, then promotes it since it still holds
        // the leader key ("promoted self to leader because I had the session lock"): a new timeline.
        // From 3.1.0 (patroni PR 2726, "Start postgres not in recovery in some cases") a primary that was
        // running a moment ago and still holds the key starts straight as primary: the same timeline.
        boolean startsAsPrimary = c.cluster.topology().images().stack().patroniAtLeast(3, 1);
        assertThat(c.timeline(old)).as("timeline after Patroni restarted the crashed primary")
                .isEqualTo(startsAsPrimary ? timelineBefore : timelineBefore + 1);
    }

    @Tag("nightly")
    @Test
    void stopOfThePrimaryHandsOverCleanly() {
        String old = c.leader();
        Fault stop = c.nemesis.start(c.fault("stop-primary", Map.of("kind", "stop", "target", "primary")));
        // docker stop returns once the container is down; Patroni released the leader key on SIGTERM.
        String next = c.awaitNewLeader(old, c.budgets.failover());
        assertThat(next).isNotEqualTo(old);
        c.nemesis.heal(stop);
        c.awaitStreaming(old, next, c.budgets.rejoin());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
