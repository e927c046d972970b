package dev.pgcert.fault;

import dev.pgcert.cluster.Waits;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.pgcert.fault.FaultTestCluster.measure;
import static org.assertj.core.api.Assertions.assertThat;

/** iptables partitions on one shared cluster of 3 nodes and 3 etcd members. */
@SuppressWarnings("unchecked")
class NetworkFaultsIT {
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of("net", 3, Optional.empty());

    /**
     * A primary that cannot reach the DCS cannot renew its leader key; with failsafe_mode off Patroni
     * demotes it before the key expires (loop_wait + 2 * retry_timeout <= ttl), and a replica that
     * still reaches the DCS takes over once the key has expired.
     */
    @Test
    void primaryCutOffFromTheDcsDemotesItselfWithinTtl() throws Exception {
        String old = c.leader();
        Fault cut = c.nemesis.start(c.fault("dcs-cut", Map.of("kind", "partition", "target", "primary", "from", "dcs")));
        long cutAt = System.nanoTime();
        assertThat(cut.target()).isEqualTo(old);
        assertThat(peers(cut)).containsExactlyInAnyOrder("etcd1", "etcd2", "etcd3");
        // The rules name peers only: Docker's DNS (127.0.0.11) still answers inside the cut-off node.
        assertThat(c.cluster.node(old).execInContainer("getent", "hosts", "etcd1").getExitCode()).isZero();

        Waits.until(old + " to demote itself", c.budgets.selfDemotion(), c.budgets.poll(),
                () -> new Waits.Probe(c.inRecoveryOrFalse(old), old + (c.inRecoveryOrFalse(old) ? " in recovery" : " primary")));
        Duration demoted = since(cutAt);
        measure("partition from dcs", "primary in recovery after losing the DCS", demoted, c.budgets.selfDemotion());
        assertThat(demoted).isLessThanOrEqualTo(c.budgets.selfDemotion());

        String next = c.awaitNewLeader(old, c.budgets.failover());
        measure("partition from dcs", "another node leads", since(cutAt), c.budgets.failover());
        assertThat(next).isNotEqualTo(old);

        long healedAt = System.nanoTime();
        c.nemesis.heal(cut);
        c.awaitStreaming(old, next, c.budgets.rejoin());
        measure("partition from dcs", "old primary streaming after heal", since(healedAt), c.budgets.rejoin());
    }

    /**
     * Cut the primary off from its replicas only: it still reaches the DCS, so it keeps the leader key
     * and stays primary, while the replicas fall behind under a small write load.
     */
    @Test
    void primaryCutOffFromItsReplicasStaysLeaderWhileTheirLagGrows() throws Exception {
        String primary = c.leader();
        List<String> replicas = c.otherNodes(primary);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread load = new Thread(() -> smallWriteLoad(primary, writing, writes), "write-load");
        load.start();
        try {
            Fault cut = c.nemesis.start(c.fault("replica-cut", Map.of("kind", "partition", "target", "primary", "from", "replicas")));
            assertThat(peers(cut)).containsExactlyInAnyOrderElementsOf(replicas);

            // Hold past ttl + loop_wait: longer than a leader key lives without renewal, so a failover
            // would have happened by now if the cut reached the DCS.
            List<Long> lags = new ArrayList<>();
            long holdUntil = System.nanoTime() + c.budgets.ttl().plus(c.budgets.loopWait()).toNanos();
            while (System.nanoTime() < holdUntil) {
                assertThat(c.leaderSeenByOthers(primary)).as("leader seen by the replicas").contains(primary);
                lags.add(lagBytes(primary, replicas.get(0)));
                Thread.sleep(c.budgets.loopWait().toMillis());
            }
            System.out.println("lag of " + replicas.get(0) + " behind " + primary + " (bytes, one sample per loop_wait): " + lags);
            assertThat(c.inRecovery(primary)).isFalse();
            assertThat(lags.get(lags.size() - 1)).as("lag at the end of the cut").isGreaterThan(lags.get(0)).isGreaterThan(8192);
            assertThat(lags).isSorted();
            FaultTestCluster.record("partition from replicas", "replica lag after ttl+loop_wait (" + writes.get() + " writes)",
                    lags.get(lags.size() - 1), "bytes", "-");

            long healedAt = System.nanoTime();
            c.nemesis.heal(cut);
            Waits.until(replicas + " to catch up", c.budgets.rejoin(), c.budgets.poll(), () -> {
                writing.set(false);
                long lag = replicas.stream().mapToLong(r -> lagBytes(primary, r)).max().orElseThrow();
                return new Waits.Probe(lag == 0, "max lag " + lag + " bytes");
            });
            measure("partition from replicas", "replicas caught up after heal", since(healedAt), c.budgets.rejoin());
        } finally {
            writing.set(false);
            load.join();
        }
    }

    /** The router reaches the node no longer: writes through it fail, while the node itself stays primary. */
    @Test
    void primaryCutOffFromClientsStaysLeaderButTheRouterCannotReachIt() throws Exception {
        String primary = c.leader();
        Fault cut = c.nemesis.start(c.fault("client-cut", Map.of("kind", "partition", "target", "primary", "from", "clients")));
        assertThat(peers(cut)).containsExactly("router");
        long cutAt = System.nanoTime();
        Waits.until("writes through the router to fail", c.budgets.failover(), c.budgets.poll(), () -> {
            try (Connection conn = c.connectRouter(); Statement s = conn.createStatement()) {
                s.executeUpdate("INSERT INTO fault_probe (payload) VALUES ('via router')");
                return Waits.Probe.notYet("router write still works");
            } catch (SQLException e) {
                return Waits.Probe.done(e.getMessage());
            }
        });
        measure("partition from clients", "router writes fail", since(cutAt), c.budgets.failover());
        assertThat(c.write(primary)).isEqualTo(primary);
        assertThat(c.leader()).isEqualTo(primary);
    }

    /**
     * Majority/minority split with the primary in the minority (it and one etcd member against two
     * nodes and two etcd members). The minority's etcd member has no quorum, so the primary cannot renew
     * its key and demotes; the majority elects a new leader once the key expired. Measured: the primary
     * stops taking writes within the self-demotion budget, before the new one is promoted; being "in
     * recovery" comes much later, because PostgreSQL's shutdown waits for its walsenders, whose replicas
     * are on the other side (the demotion restarts PostgreSQL as a replica).
     */
    @Tag("nightly")
    @Test
    void splitWithThePrimaryInTheMinority() {
        String old = c.leader();
        Fault split = c.nemesis.start(c.fault("split", Map.of("kind", "split", "target", "primary")));
        long splitAt = System.nanoTime();
        assertThat((List<String>) split.detail().get("minority")).hasSize(2).contains(old);
        AtomicLong refusedAfter = new AtomicLong(-1);
        AtomicLong promotedAfter = new AtomicLong(-1);
        Waits.until(old + " to refuse writes and another node to be promoted", c.budgets.failover(), c.budgets.poll(), () -> {
            if (refusedAfter.get() < 0 && !writable(old)) refusedAfter.set(System.nanoTime() - splitAt);
            if (promotedAfter.get() < 0 && c.leaderSeenByOthers(old).filter(l -> !l.equals(old) && !c.inRecoveryOrTrue(l)).isPresent()) {
                promotedAfter.set(System.nanoTime() - splitAt);
            }
            return new Waits.Probe(refusedAfter.get() >= 0 && promotedAfter.get() >= 0,
                    "refused writes after " + refusedAfter.get() / 1_000_000 + " ms, new primary after " + promotedAfter.get() / 1_000_000 + " ms");
        });
        measure("split (primary in minority)", "old primary refuses writes", Duration.ofNanos(refusedAfter.get()), c.budgets.selfDemotion());
        measure("split (primary in minority)", "new primary in the majority", Duration.ofNanos(promotedAfter.get()), c.budgets.failover());
        assertThat(refusedAfter.get()).as("no moment with two writable primaries").isLessThan(promotedAfter.get());
        assertThat(Duration.ofNanos(refusedAfter.get())).isLessThanOrEqualTo(c.budgets.selfDemotion());
        String next = c.leaderSeenByOthers(old).orElseThrow();
        Waits.until(old + " in recovery", c.budgets.rejoin(), c.budgets.poll(), () -> new Waits.Probe(c.inRecoveryOrFalse(old), old));
        measure("split (primary in minority)", "old primary in recovery (still split)", since(splitAt), c.budgets.rejoin());
        long promotedTimeline = c.timeline(next);
        long healedAt = System.nanoTime();
        c.nemesis.heal(split);
        // Patroni 3.0.2 may take the key back here too, as after a freeze: see settleAfterStaleLeaderWakes.
        c.settleAfterStaleLeaderWakes("split", old, next, promotedTimeline, healedAt);
    }

    private static boolean writable(String node) {
        try {
            c.write(node);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** One-way: only the packets the primary sends to etcd are dropped; answers could come, requests never leave. */
    @Tag("nightly")
    @Test
    void oneWayCutFromTheDcsDemotesThePrimaryToo() {
        String old = c.leader();
        Fault cut = c.nemesis.start(c.fault("dcs-out", Map.of("kind", "partition", "target", "primary", "from", "dcs", "direction", "out")));
        long cutAt = System.nanoTime();
        assertThat(cut.detail()).containsEntry("direction", "out");
        Waits.until(old + " to demote itself", c.budgets.selfDemotion(), c.budgets.poll(),
                () -> new Waits.Probe(c.inRecoveryOrFalse(old), old));
        measure("partition from dcs, outbound only", "primary in recovery", since(cutAt), c.budgets.selfDemotion());
    }

    private static void smallWriteLoad(String node, AtomicBoolean writing, AtomicLong writes) {
        while (writing.get()) {
            try (Connection conn = c.connect(node); Statement s = conn.createStatement()) {
                while (writing.get()) {
                    s.executeUpdate("INSERT INTO fault_probe (payload) VALUES (repeat('w', 200))");
                    writes.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (SQLException e) {
                // keep trying: the load is a background to the fault, not what is tested
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How far a replica's replay is behind the primary's current WAL position, from PostgreSQL itself. */
    private static long lagBytes(String primary, String replica) {
        long current = Long.parseLong(c.query(primary, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint").get(0));
        long replayed = Long.parseLong(c.query(replica, "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint").get(0));
        return Math.max(0, current - replayed);
    }

    private static java.util.Set<String> peers(Fault partition) {
        return ((Map<String, Object>) partition.detail().get("peers")).keySet();
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
