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
    private static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void boot() throws SQLException {
        cluster = new PatroniCluster(TopologyLoader.load(Path.of("topologies", "three-node-async.yaml")));
        cluster.start();
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
        Nemesis nemesis = new Nemesis(new FaultContext(cluster, FaultRecorder.toHistory(events::add)));
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
    void resetPeerOnTheClientPathBreaksConnectionsUntilHealed() throws Exception {
        Nemesis nemesis = new Nemesis(new FaultContext(cluster, FaultRecorder.toHistory(events::add)));
        Fault reset = FaultRegistry.standard().create("client-reset", Map.of("kind", "reset-peer", "link", "client"));
        nemesis.start(reset);
        try {
            assertThat(clientWrite()).as("a write through the client path while it resets").isFalse();
        } finally {
            nemesis.healAll();
        }
        Waits.until("a write through the client path after heal", Duration.ofSeconds(cluster.topology().patroni().ttl()),
                Duration.ofMillis(200), () -> new Waits.Probe(clientWrite(), "write refused"));
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
