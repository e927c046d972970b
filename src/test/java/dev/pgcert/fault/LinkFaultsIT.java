package dev.pgcert.fault;

import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.Endpoints;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.cluster.Waits;
import dev.pgcert.history.Event;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Link faults through Toxiproxy on the shipped three-node-async topology, whose replicas' replication
 * streams and client path go through Toxiproxy.
 */
class LinkFaultsIT {
    private static PatroniCluster cluster;
    private static FaultBudgets budgets;
    private static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void boot() throws SQLException {
        cluster = new PatroniCluster(TopologyLoader.load(Path.of("topologies", "three-node-async.yaml")));
        cluster.start();
        budgets = FaultBudgets.of(cluster.topology());
        try (Connection c = superuser(leader()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS link_probe (id bigserial PRIMARY KEY, payload text)");
        }
    }

    @AfterAll
    static void teardown() {
        if (cluster != null) cluster.stop();
    }

    /**
     * 200 ms of latency on one replica's replication link: a row written on the primary becomes
     * visible on that replica 200 ms or more later, while the other replica sees it at once; healing
     * brings the delayed replica back. (Visibility delay, measured by polling both replicas, is steadier
     * than pg_stat_replication's replay_lag, which also counts when the standby gets to report.)
     */
    @Test
    void latencyOnOneReplicationLinkDelaysOnlyThatReplica() throws Exception {
        String leader = leader();
        String slow = leader.equals("node2") ? "node3" : "node2";
        String other = List.of("node1", "node2", "node3").stream().filter(n -> !n.equals(leader) && !n.equals(slow)).findFirst().orElseThrow();
        Nemesis nemesis = nemesis();
        Fault latency = FaultRegistry.standard().create("repl-latency",
                Map.of("kind", "latency", "link", "replication", "target", slow, "latency", "200ms"));
        try (Connection primary = superuser(leader); Connection slowReplica = superuser(slow); Connection otherReplica = superuser(other)) {
            nemesis.start(latency);
            List<Long> slowMs = new java.util.ArrayList<>();
            List<Long> otherMs = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long[] delays = visibilityDelaysMs(primary, slowReplica, otherReplica);
                slowMs.add(delays[0]);
                otherMs.add(delays[1]);
            }
            long slowMedian = median(slowMs);
            long otherMedian = median(otherMs);
            System.out.println("visibility delay with 200 ms latency on " + slow + "'s link: " + slow + " " + slowMs
                    + " ms, " + other + " " + otherMs + " ms");
            assertThat(slowMedian).as("median visibility delay on %s (delayed link), ms", slow).isGreaterThanOrEqualTo(190);
            assertThat(otherMedian).as("median visibility delay on %s (clean link), ms", other).isLessThan(slowMedian - 100);
        } finally {
            nemesis.healAll();
        }
        try (Connection primary = superuser(leader); Connection slowReplica = superuser(slow); Connection otherReplica = superuser(other)) {
            long[] healed = visibilityDelaysMs(primary, slowReplica, otherReplica);
            assertThat(healed[0]).as("visibility delay on %s after heal, ms", slow).isLessThan(150);
        }
        assertThat(events).filteredOn(e -> e.f().equals(Event.Fn.FAULT) && "repl-latency".equals(e.value().get("id"))).hasSize(2);
    }

    /** Writes a row on the primary and polls both replicas until each sees it; returns both delays. */
    private static long[] visibilityDelaysMs(Connection primary, Connection a, Connection b) throws SQLException {
        long id;
        long written;
        try (Statement s = primary.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO link_probe (payload) VALUES ('marker') RETURNING id")) {
            rs.next();
            id = rs.getLong(1);
            written = System.nanoTime();
        }
        long[] delays = {-1, -1};
        Connection[] replicas = {a, b};
        long deadline = written + Duration.ofSeconds(cluster.topology().patroni().ttl()).toNanos();
        while ((delays[0] < 0 || delays[1] < 0) && System.nanoTime() < deadline) {
            for (int i = 0; i < 2; i++) {
                if (delays[i] < 0 && visible(replicas[i], id)) {
                    delays[i] = (System.nanoTime() - written) / 1_000_000;
                }
            }
        }
        return delays;
    }

    private static boolean visible(Connection replica, long id) throws SQLException {
        try (Statement s = replica.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM link_probe WHERE id = " + id)) {
            return rs.next();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** reset-peer on the client path: connections through PgBouncer are reset; after heal they work again. */
    @Test
    void resetPeerOnTheClientPathBreaksConnectionsUntilHealed() {
        clientWriteFailsUntilHealed("client-reset", "reset-peer");
    }

    /**
     * A 32 KB/s bandwidth limit on one replica's replication link: after 2 MB of WAL that replica is
     * more than 1 MB behind while the other has caught up, and it drains at about the configured rate;
     * after heal it catches up at once.
     */
    @Test
    void bandwidthLimitOnOneReplicationLinkMakesOnlyThatReplicaFallBehind() throws Exception {
        String leader = leader();
        String slow = replicas(leader).get(0);
        String other = replicas(leader).get(1);
        Nemesis nemesis = nemesis();
        Fault bandwidth = FaultRegistry.standard().create("repl-bandwidth",
                Map.of("kind", "bandwidth", "link", "replication", "target", slow, "rate", "32"));
        try (Connection primary = superuser(leader)) {
            nemesis.start(bandwidth);
            execute(primary, "INSERT INTO link_probe (payload) SELECT repeat('b', 1000) FROM generate_series(1, 2000)");
            Waits.until(other + " to catch up while " + slow + " lags by over 1 MB", budgets.failover(), budgets.poll(), () -> {
                Map<String, Long> lag = replayLagBytes(primary);
                return new Waits.Probe(lag.getOrDefault(other, Long.MAX_VALUE) < 64 * 1024
                        && lag.getOrDefault(slow, 0L) > 1024 * 1024, "replay lag in bytes " + lag);
            });
            long before = replayLagBytes(primary).get(slow);
            long start = System.nanoTime();
            // A measuring interval, not a wait for a condition: the drain rate is lag bytes over elapsed time.
            Thread.sleep(budgets.ttl().toMillis() / 2);
            long after = replayLagBytes(primary).get(slow);
            double seconds = (System.nanoTime() - start) / 1e9;
            double drainKbPerS = (before - after) / 1024.0 / seconds;
            System.out.printf("bandwidth 32 KB/s on %s's link: lag %d kB -> %d kB in %.1f s, drained %.1f KB/s; %s lag %d B%n",
                    slow, before / 1024, after / 1024, seconds, drainKbPerS, other, replayLagBytes(primary).get(other));
            assertThat(drainKbPerS).as("rate %s drains its lag at, KB/s (limit 32)", slow).isBetween(8.0, 64.0);
        } finally {
            nemesis.healAll();
        }
        long healed = System.nanoTime();
        try (Connection primary = superuser(leader)) {
            Waits.until(slow + " to catch up after heal", budgets.rejoin(), budgets.poll(), () -> {
                Map<String, Long> lag = replayLagBytes(primary);
                return new Waits.Probe(lag.getOrDefault(slow, Long.MAX_VALUE) < 64 * 1024, "replay lag in bytes " + lag);
            });
        }
        System.out.printf("%s caught up %d ms after the bandwidth limit was removed%n", slow, (System.nanoTime() - healed) / 1_000_000);
        assertThat(events).filteredOn(e -> e.f().equals(Event.Fn.FAULT) && "repl-bandwidth".equals(e.value().get("id"))).hasSize(2);
    }

    /**
     * link-timeout with a timeout on one replica's replication link: no data gets through and Toxiproxy
     * closes each connection after 2 s, so the replica sees no new row while the other does; after heal
     * its walreceiver reconnects and it catches up.
     */
    @Test
    void linkTimeoutOnAReplicationLinkStarvesThatReplicaUntilHealed() throws Exception {
        String leader = leader();
        String starved = replicas(leader).get(0);
        String other = replicas(leader).get(1);
        Nemesis nemesis = nemesis();
        Fault timeout = FaultRegistry.standard().create("repl-timeout",
                Map.of("kind", "link-timeout", "link", "replication", "target", starved, "timeout", "2s"));
        long marker;
        try (Connection primary = superuser(leader); Connection starvedReplica = superuser(starved);
             Connection otherReplica = superuser(other)) {
            nemesis.start(timeout);
            long[] delays = visibilityDelaysMs(primary, starvedReplica, otherReplica);
            System.out.println("with link-timeout on " + starved + "'s link: visible on " + starved + " after " + delays[0]
                    + " ms (-1: not within ttl), on " + other + " after " + delays[1] + " ms");
            assertThat(delays[0]).as("a new row on %s within ttl, behind a timed-out link", starved).isEqualTo(-1);
            assertThat(delays[1]).as("the same row on %s (clean link)", other).isGreaterThanOrEqualTo(0);
            marker = lastProbeId(primary);
        } finally {
            nemesis.healAll();
        }
        awaitVisible(starved, marker, "after the timeout toxic was removed");
    }

    /**
     * link-down on one replica's replication link: Toxiproxy closes the connections and refuses new
     * ones, so the primary loses that walsender and the replica stops receiving; after heal it streams again.
     */
    @Test
    void linkDownOnAReplicationLinkDisconnectsThatReplicaUntilHealed() throws Exception {
        String leader = leader();
        String cut = replicas(leader).get(0);
        String other = replicas(leader).get(1);
        Nemesis nemesis = nemesis();
        Fault down = FaultRegistry.standard().create("repl-down", Map.of("kind", "link-down", "link", "replication", "target", cut));
        long marker;
        try (Connection primary = superuser(leader); Connection cutReplica = superuser(cut); Connection otherReplica = superuser(other)) {
            nemesis.start(down);
            long downAt = System.nanoTime();
            Waits.until("the primary to lose " + cut + "'s walsender", budgets.failover(), budgets.poll(), () -> {
                java.util.Set<String> streaming = cluster.replication().streamingFrom(leader);
                return new Waits.Probe(!streaming.contains(cut) && streaming.contains(other), "streaming " + streaming);
            });
            System.out.printf("link-down on %s's replication link: walsender gone after %d ms%n", cut, (System.nanoTime() - downAt) / 1_000_000);
            long[] delays = visibilityDelaysMs(primary, cutReplica, otherReplica);
            assertThat(delays[0]).as("a new row on %s within ttl, link down", cut).isEqualTo(-1);
            assertThat(delays[1]).as("the same row on %s", other).isGreaterThanOrEqualTo(0);
            marker = lastProbeId(primary);
        } finally {
            nemesis.healAll();
        }
        awaitVisible(cut, marker, "after the link came back");
        Waits.until(cut + " to stream from " + leader + " again", budgets.rejoin(), budgets.poll(), () -> {
            java.util.Set<String> streaming = cluster.replication().streamingFrom(leader);
            return new Waits.Probe(streaming.contains(cut), "streaming " + streaming);
        });
    }

    /**
     * A partition of the primary from its replicas on a topology whose replication goes through
     * Toxiproxy: the proxied streams carry the proxy's address, and must be cut all the same.
     */
    @Test
    void aPartitionFromReplicasAlsoCutsTheirProxiedStreams() throws Exception {
        String leader = leader();
        List<String> replicas = replicas(leader);
        Nemesis nemesis = nemesis();
        Fault partition = FaultRegistry.standard().create("cut-replicas",
                Map.of("kind", "partition", "target", "primary", "from", "replicas"));
        long marker;
        try (Connection primary = superuser(leader); Connection a = superuser(replicas.get(0)); Connection b = superuser(replicas.get(1))) {
            nemesis.start(partition);
            long[] delays = visibilityDelaysMs(primary, a, b);
            System.out.println("partition from replicas over proxied streams: visible after " + List.of(delays[0], delays[1])
                    + " ms on " + replicas + " (-1: not within ttl)");
            assertThat(delays).as("a new row on the cut-off replicas %s within ttl", replicas).containsOnly(-1L);
            marker = lastProbeId(primary);
        } finally {
            nemesis.healAll();
        }
        for (String replica : replicas) {
            awaitVisible(replica, marker, "after the partition healed");
        }
    }

    /** link-timeout (timeout 0: hold until healed) on the client path: a write hangs and fails; after heal writes work. */
    @Test
    void linkTimeoutOnTheClientPathHangsWritesUntilHealed() {
        long hungMs = clientWriteFailsUntilHealed("client-hold", "link-timeout");
        assertThat(hungMs).as("how long the write hung before the client gave up, ms (held, not refused)").isGreaterThanOrEqualTo(1_500);
    }

    /** link-down on the client path: connections are refused; after heal writes work. */
    @Test
    void linkDownOnTheClientPathRefusesConnectionsUntilHealed() {
        clientWriteFailsUntilHealed("client-down", "link-down");
    }

    /**
     * Starts a fault of {@code kind} on the client path, asserts that a write through it fails, heals, and
     * waits until writes work again. Returns how long the failed write took.
     */
    private static long clientWriteFailsUntilHealed(String id, String kind) {
        Nemesis nemesis = nemesis();
        nemesis.start(FaultRegistry.standard().create(id, Map.of("kind", kind, "link", "client")));
        long tookMs;
        try {
            long start = System.nanoTime();
            boolean written = clientWrite();
            tookMs = (System.nanoTime() - start) / 1_000_000;
            System.out.println("write through the client path under " + kind + ": " + (written ? "succeeded" : "failed")
                    + " after " + tookMs + " ms");
            assertThat(written).as("a write through the client path under %s", kind).isFalse();
        } finally {
            nemesis.healAll();
        }
        Waits.until("a write through the client path after " + kind + " was healed", budgets.failover(), budgets.poll(),
                () -> new Waits.Probe(clientWrite(), "write failed"));
        return tookMs;
    }

    /** A nemesis on the shared cluster whose fault events land in {@link #events}. */
    private static Nemesis nemesis() {
        return new Nemesis(new FaultContext(cluster, FaultRecorder.toHistory(events::add)));
    }

    private static List<String> replicas(String leader) {
        return cluster.nodes().keySet().stream().filter(n -> !n.equals(leader)).sorted().toList();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Replay lag of each streaming replica as the primary sees it, in bytes. */
    private static Map<String, Long> replayLagBytes(Connection primary) {
        Map<String, Long> lag = new java.util.TreeMap<>();
        try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication")) {
            while (rs.next()) lag.put(rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("reading pg_stat_replication: " + e.getMessage(), e);
        }
        return lag;
    }

    private static long lastProbeId(Connection primary) throws SQLException {
        try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery("SELECT max(id) FROM link_probe")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitVisible(String replica, long id, String when) throws SQLException {
        long start = System.nanoTime();
        Waits.until("row " + id + " on " + replica + " " + when, budgets.rejoin(), budgets.poll(), () -> {
            try (Connection c = superuser(replica)) {
                return new Waits.Probe(visible(c, id), "not there yet");
            } catch (SQLException | RuntimeException e) {
                return Waits.Probe.notYet(e.getMessage());
            }
        });
        System.out.printf("row %d visible on %s %d ms %s%n", id, replica, (System.nanoTime() - start) / 1_000_000, when);
    }

    private static boolean clientWrite() {
        Credentials c = cluster.credentials();
        try (Connection conn = Endpoints.connect(cluster.endpoints().readWriteUrl(), c.appUser(), c.appPassword());
             Statement s = conn.createStatement()) {
            s.executeUpdate("INSERT INTO pgcert_probe VALUES (" + System.nanoTime() + ", 'link')");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String leader() {
        return cluster.clusterView().leader().orElseThrow().name();
    }

    private static Connection superuser(String node) throws SQLException {
        Credentials c = cluster.credentials();
        return Endpoints.connect(cluster.nodeJdbcUrl(node), c.superuser(), c.superuserPassword());
    }
}
