package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.PatroniNodeContainer;
import dev.pgcert.cluster.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pgcert.fault.FaultTestCluster.measure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault kinds of issue 14 on one shared 3-node cluster with one etcd member: each test starts the
 * fault, asserts what it does to the cluster (an assertion that fails if the fault did nothing), heals
 * it, and the extension waits for a whole cluster before the next test.
 */
// Nightly (mvn verify -Pnightly): several clusters booted; kept out of the 45-minute CI budget.
@org.junit.jupiter.api.Tag("nightly")
class PeerFaultsIT {
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of("peer", 1, Optional.empty());

    /**
     * Connectivity is probed on Patroni's REST port, which stays open through a demotion or a restart of
     * PostgreSQL that a partition may cause meanwhile.
     */
    private static final int REST = 8008;

    private String aReplica() {
        return c.otherNodes(c.leader()).get(0);
    }

    @Test
    void clockSkewMovesPostgresClockOnThatNodeOnlyAndHealPutsItBack() {
        String node = aReplica();
        String other = c.leader();
        Fault skew = c.nemesis.start(c.fault("skew", Map.of("kind", "clock-skew", "target", node, "ahead", "3600s")));
        assertThat(skew.target()).isEqualTo(node);
        // libfaketime re-reads its offset file at most once a second
        Waits.until(node + "'s now() to run an hour ahead", Duration.ofSeconds(5), Duration.ofMillis(200), () -> {
            double off = offsetSeconds(node);
            return new Waits.Probe(Math.abs(off - 3600) < 5, "offset " + off + " s");
        });
        assertThat(offsetSeconds(other)).as("another node keeps the real clock").isBetween(-5.0, 5.0);
        c.nemesis.heal(skew);
        Waits.until(node + "'s now() to be the real time again", Duration.ofSeconds(5), Duration.ofMillis(200), () -> {
            double off = offsetSeconds(node);
            return new Waits.Probe(Math.abs(off) < 5, "offset " + off + " s");
        });
        assertThat(c.events).anyMatch(e -> e.toString().contains("clock-skew"));
    }

    /** now() on a node minus the harness's clock, in seconds. */
    private double offsetSeconds(String node) {
        long before = System.currentTimeMillis();
        double pg = Double.parseDouble(c.query(node, "SELECT extract(epoch FROM clock_timestamp())::text").get(0));
        long after = System.currentTimeMillis();
        return pg - (before + after) / 2000.0;
    }

    @Test
    void partitionGroupsCutsAcrossGroupsOnlyAndHealJoinsThem() {
        List<String> nodes = List.of("node1", "node2", "node3");
        Fault groups = c.nemesis.start(c.fault("groups", Map.of("kind", "partition-groups",
                "groups", List.of(List.of("node1"), List.of("node2", "node3", "etcd")))));
        assertThat(groups.detail().get("groups")).isEqualTo(List.of(List.of("node1"), List.of("etcd1", "node2", "node3")));
        assertThat(reaches("node1", "node2", REST)).isFalse();
        assertThat(reaches("node1", "etcd1", 2379)).isFalse();
        assertThat(reaches("node3", "node1", REST)).isFalse();
        assertThat(reaches("node2", "node3", REST)).as("within a group").isTrue();
        assertThat(reaches("node2", "etcd1", 2379)).as("within a group").isTrue();
        c.nemesis.heal(groups);
        for (String n : nodes) {
            assertThat(reaches(n, "etcd1", 2379)).as("%s after heal", n).isTrue();
        }
        assertThat(reaches("node1", "node2", REST)).isTrue();
    }

    /**
     * A majorities ring from a seed: the same seed gives the same grudge, and each recorded grudge holds
     * in the network (a TCP connection between two members works exactly when neither drops the other).
     */
    @Test
    void aSeededMajoritiesRingIsReproducibleAndHoldsAsRecorded() {
        Map<String, ?> spec = Map.of("kind", "partition-groups", "shape", "majorities-ring", "seed", 11);
        Fault ring = c.nemesis.start(c.fault("ring", spec));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> drops = (Map<String, List<String>>) ring.detail().get("drops_from");
        assertThat(drops).isNotEmpty();
        for (String from : List.of("node1", "node2", "node3")) {
            for (String to : List.of("node1", "node2", "node3", "etcd1")) {
                if (from.equals(to)) continue;
                boolean cut = drops.getOrDefault(from, List.of()).contains(to) || drops.getOrDefault(to, List.of()).contains(from);
                assertThat(reaches(from, to, to.startsWith("etcd") ? 2379 : REST)).as("%s -> %s (grudge %s)", from, to, drops)
                        .isEqualTo(!cut);
            }
        }
        c.nemesis.heal(ring);
        Fault again = c.nemesis.start(c.fault("ring2", spec));
        assertThat(again.detail().get("drops_from")).isEqualTo(drops);
        c.nemesis.heal(again);
    }

    /** A TCP connection from inside {@code from} to {@code to}'s port, within 2 s. */
    private boolean reaches(String from, String to, int port) {
        try {
            var r = c.cluster.node(from).execInContainer("bash", "-c",
                    "timeout 2 bash -c '</dev/tcp/" + to + "/" + port + "' 2>/dev/null && echo open || echo closed");
            return r.getStdout().trim().equals("open");
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pausedWalreceiverReceivesNothingUntilHealed() {
        String leader = c.leader();
        String replica = aReplica();
        Fault pause = c.nemesis.start(c.fault("pause-wr", Map.of("kind", "pause-process", "process", "walreceiver",
                "target", replica)));
        assertThat(pause.detail()).containsKey("pids");
        String lsn = writeAndGetLsn(leader);
        sleepLoops(1);
        assertThat(behindBytes(replica, lsn, "pg_last_wal_receive_lsn()")).as("nothing received while stopped").isPositive();
        c.nemesis.heal(pause);
        awaitCaughtUp(replica, lsn, "pg_last_wal_receive_lsn()");
    }

    @Test
    void pausedStartupProcessReceivesButDoesNotReplay() {
        String leader = c.leader();
        String replica = aReplica();
        Fault pause = c.nemesis.start(c.fault("pause-startup", Map.of("kind", "pause-process", "process", "startup",
                "target", replica)));
        String lsn = writeAndGetLsn(leader);
        awaitCaughtUp(replica, lsn, "pg_last_wal_receive_lsn()");
        sleepLoops(1); // a replay that runs would have caught up by now
        assertThat(behindBytes(replica, lsn, "pg_last_wal_replay_lsn()")).as("received but not replayed").isPositive();
        c.nemesis.heal(pause);
        awaitCaughtUp(replica, lsn, "pg_last_wal_replay_lsn()");
    }

    /**
     * Patroni resumes a paused replay on every loop of a replica on PostgreSQL 14 and later, unless the
     * cluster is in maintenance mode (patroni/ha.py follow(): {@code if not self.is_paused():
     * handle_parameter_change()}, which calls pg_wal_replay_resume()). So the pause holds under Patroni's
     * maintenance mode, and this test asserts it there.
     */
    @Test
    void walReplayPauseHoldsReplayUntilResumed() {
        String leader = c.leader();
        String replica = aReplica();
        Fault maintenance = c.nemesis.start(c.fault("maintenance", Map.of("kind", "pause")));
        Fault pause = c.nemesis.start(c.fault("replay-pause", Map.of("kind", "wal-replay-pause", "target", replica)));
        assertThat(c.query(replica, "SELECT pg_get_wal_replay_pause_state()").get(0)).isIn("paused", "pause requested");
        String lsn = writeAndGetLsn(leader);
        awaitCaughtUp(replica, lsn, "pg_last_wal_receive_lsn()");
        sleepLoops(1);
        assertThat(behindBytes(replica, lsn, "pg_last_wal_replay_lsn()")).isPositive();
        c.nemesis.heal(pause);
        awaitCaughtUp(replica, lsn, "pg_last_wal_replay_lsn()");
        assertThat(c.query(replica, "SELECT pg_get_wal_replay_pause_state()").get(0)).isEqualTo("not paused");
        c.nemesis.heal(maintenance);
    }

    /** Outside maintenance mode Patroni itself ends the pause within a few loops (see above). */
    @Test
    void patroniResumesAReplayPauseOutsideMaintenanceMode() {
        String replica = aReplica();
        Fault pause = c.nemesis.start(c.fault("replay-pause-2", Map.of("kind", "wal-replay-pause", "target", replica)));
        Waits.until("Patroni to resume the paused replay on " + replica, c.budgets.loopWait().multipliedBy(3),
                c.budgets.poll(), () -> {
                    String state = c.query(replica, "SELECT pg_get_wal_replay_pause_state()").get(0);
                    return new Waits.Probe(state.equals("not paused"), state);
                });
        c.nemesis.heal(pause);
    }

    private String writeAndGetLsn(String leader) {
        c.sql(leader, "INSERT INTO fault_probe (payload) SELECT repeat('w', 200) FROM generate_series(1, 200)");
        return c.query(leader, "SELECT pg_current_wal_lsn()::text").get(0);
    }

    /** How far {@code position} (a function such as pg_last_wal_replay_lsn()) on {@code node} is behind {@code lsn}. */
    private long behindBytes(String node, String lsn, String position) {
        return Long.parseLong(c.query(node, "SELECT pg_wal_lsn_diff('" + lsn + "', " + position + ")::bigint::text").get(0));
    }

    private void awaitCaughtUp(String node, String lsn, String position) {
        Waits.until(node + "'s " + position + " to reach " + lsn, c.budgets.rejoin(), c.budgets.poll(), () -> {
            long behind = behindBytes(node, lsn, position);
            return new Waits.Probe(behind <= 0, behind + " bytes behind");
        });
    }

    private void sleepLoops(int loops) {
        try {
            Thread.sleep(c.budgets.loopWait().multipliedBy(loops).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void wipeDataMakesTheReplicaReCloneAndHealWaitsForItsStream() throws Exception {
        String replica = aReplica();
        String marker = PatroniNodeContainer.pgdata() + "/pgcert-marker";
        c.cluster.node(replica).execInContainer("touch", marker);
        String systemId = c.query(replica, "SELECT system_identifier::text FROM pg_control_system()").get(0);
        Fault wipe = c.nemesis.start(c.fault("wipe", Map.of("kind", "wipe-data", "target", replica)));
        assertThat((Long) wipe.detail().get("bytes_wiped")).isPositive();
        long healAt = System.nanoTime();
        c.nemesis.heal(wipe);
        measure("wipe-data", "replica re-cloned and streaming", Duration.ofNanos(System.nanoTime() - healAt), c.budgets.rejoin());
        assertThat(c.streamingFrom(c.leader())).contains(replica);
        assertThat(c.cluster.node(replica).execInContainer("test", "-e", marker).getExitCode())
                .as("the data directory is a new one").isNotZero();
        assertThat(c.query(replica, "SELECT system_identifier::text FROM pg_control_system()").get(0)).isEqualTo(systemId);
    }

    @Test
    void postgresThatCannotStartOnThePrimaryMakesPatroniHandOver() {
        String old = c.leader();
        Fault broken = c.nemesis.start(c.fault("cannot-start", Map.of("kind", "postgres-cannot-start", "target", "primary")));
        long at = System.nanoTime();
        String next = c.awaitNewLeader(old, c.budgets.failover().plus(c.budgets.rejoin()));
        measure("postgres-cannot-start", "new leader after the primary's PostgreSQL could not start",
                Duration.ofNanos(System.nanoTime() - at), c.budgets.failover());
        assertThat(next).isNotEqualTo(old);
        sleepLoops(2);
        assertThat(c.inRecoveryOrFalse(old) || isDown(old)).as("%s's PostgreSQL stays down", old).isTrue();
        assertThat(isDown(old)).as("PostgreSQL on %s cannot start", old).isTrue();
        c.nemesis.heal(broken);
    }

    private boolean isDown(String node) {
        try {
            c.query(node, "SELECT 1");
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Test
    void addMemberJoinsTheScopeAsAStreamingReplicaAndHealRemovesIt() {
        String leader = c.leader();
        Fault add = c.nemesis.start(c.fault("add", Map.of("kind", "add-member", "name", "node4")));
        long at = System.nanoTime();
        assertThat(add.target()).isEqualTo("node4");
        Waits.until("node4 to stream from " + leader, c.budgets.rejoin(), c.budgets.poll(), () -> {
            Set<String> s = c.streamingFrom(leader);
            return new Waits.Probe(s.contains("node4"), leader + " streams to " + s);
        });
        measure("add-member", "new member streaming", Duration.ofNanos(System.nanoTime() - at), c.budgets.rejoin());
        assertThat(c.cluster.clusterView().members()).extracting(ClusterView.Member::name).contains("node4");
        c.nemesis.heal(add);
        assertThat(c.cluster.clusterView().members()).extracting(ClusterView.Member::name).doesNotContain("node4");
        assertThat(c.cluster.nodes()).doesNotContainKey("node4");
    }

    @Test
    void packetLossDropsAShareOfTheLinksPacketsButNotAll() throws Exception {
        String leader = c.leader();
        String replica = aReplica();
        Fault loss = c.nemesis.start(c.fault("loss", Map.of("kind", "packet-loss", "target", replica, "from", "nodes",
                "loss", "20%")));
        for (int i = 0; i < 5; i++) writeAndGetLsn(leader);
        String lsn = writeAndGetLsn(leader);
        awaitCaughtUp(replica, lsn, "pg_last_wal_receive_lsn()");
        String chain = (String) loss.detail().get("chain");
        String counters = c.cluster.node(replica).execInContainerWithUser("root", "iptables", "-L", chain, "-v", "-x", "-n")
                .getStdout();
        long dropped = counters.lines().filter(l -> l.contains("DROP"))
                .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[0])).sum();
        assertThat(dropped).as("packets dropped by %s:\n%s", chain, counters).isPositive();
        c.nemesis.heal(loss);
    }
}
