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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

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
     * 200 ms of latency on node2's replication link: node2's replay lag (timed by the primary's
     * pg_stat_replication) grows past 200 ms while node3's stays small; healing brings node2 back.
     */
    @Test
    void latencyOnOneReplicationLinkDelaysOnlyThatReplica() throws Exception {
        String leader = leader();
        String slow = leader.equals("node2") ? "node3" : "node2";
        String other = List.of("node1", "node2", "node3").stream().filter(n -> !n.equals(leader) && !n.equals(slow)).findFirst().orElseThrow();
        Nemesis nemesis = new Nemesis(new FaultContext(cluster, FaultRecorder.toHistory(events::add)));
        Fault latency = FaultRegistry.standard().create("repl-latency",
                Map.of("kind", "latency", "link", "replication", "target", slow, "latency", "200ms"));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread load = writer(leader, writing);
        try {
            nemesis.start(latency);
            Map<String, Double> worst = new HashMap<>();
            // Over a few of Patroni's loops, the worst replay lag each replica shows.
            long until = System.nanoTime() + Duration.ofSeconds(cluster.topology().patroni().loopWait() * 3L).toNanos();
            while (System.nanoTime() < until) {
                replayLagMs(leader).forEach((node, ms) -> worst.merge(node, ms, Math::max));
                Thread.sleep(100);
            }
            System.out.println("replay lag under 200 ms latency on " + slow + ": " + worst);
            assertThat(worst.getOrDefault(slow, 0.0)).as("replay lag of %s (delayed link), ms", slow).isGreaterThan(180.0);
            assertThat(worst.getOrDefault(other, Double.MAX_VALUE)).as("replay lag of %s (clean link), ms", other).isLessThan(150.0);
        } finally {
            nemesis.healAll();
            writing.set(false);
            load.join();
        }
        Waits.until(slow + "'s replay lag back under 100 ms", Duration.ofSeconds(cluster.topology().patroni().ttl()),
                Duration.ofMillis(200), () -> {
                    try {
                        writeOne(leader);
                        double ms = replayLagMs(leader).getOrDefault(slow, Double.MAX_VALUE);
                        return new Waits.Probe(ms < 100, slow + " replay lag " + ms + " ms");
                    } catch (SQLException e) {
                        return Waits.Probe.notYet(e.getMessage());
                    }
                });
        assertThat(events).filteredOn(e -> e.f().equals(Event.Fn.FAULT)).hasSize(2);
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

    private static Thread writer(String leader, AtomicBoolean writing) {
        Thread t = new Thread(() -> {
            while (writing.get()) {
                try {
                    writeOne(leader);
                    Thread.sleep(5);
                } catch (SQLException | InterruptedException e) {
                    return;
                }
            }
        });
        t.start();
        return t;
    }

    private static void writeOne(String leader) throws SQLException {
        try (Connection c = superuser(leader); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO link_probe (payload) VALUES (repeat('x', 200))");
        }
    }

    private static Map<String, Double> replayLagMs(String leader) throws SQLException {
        Map<String, Double> lag = new HashMap<>();
        try (Connection c = superuser(leader); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name, coalesce(EXTRACT(EPOCH FROM replay_lag) * 1000, 0)"
                     + " FROM pg_stat_replication")) {
            while (rs.next()) lag.put(rs.getString(1), rs.getDouble(2));
        }
        return lag;
    }

    private static String leader() {
        return cluster.clusterView().leader().orElseThrow().name();
    }

    private static Connection superuser(String node) throws SQLException {
        Credentials c = cluster.credentials();
        return Endpoints.connect(cluster.nodeJdbcUrl(node), c.superuser(), c.superuserPassword());
    }
}
