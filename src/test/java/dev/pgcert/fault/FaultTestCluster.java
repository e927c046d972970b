package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.Endpoints;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.cluster.Waits;
import dev.pgcert.history.Event;
import dev.pgcert.topology.Topology;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One live cluster shared by the tests of a class, with what they need around it: a nemesis whose
 * events are kept, budgets from the topology, direct SQL on a node, and restoring the cluster to whole
 * between tests. Patroni settings ttl 10, loop_wait 2, retry_timeout 4; router check 1 s, fall 2, rise 1.
 *
 * <p>A JUnit extension, as Testcontainers' {@code @Container} is: register it in a static field with
 * {@code @RegisterExtension}; it starts before the class's first test, restores the cluster after each
 * test, and removes it after the last.
 */
final class FaultTestCluster implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final Path MEASUREMENTS = Path.of("target", "fault-measurements.tsv");

    final PatroniCluster cluster;
    final FaultBudgets budgets;
    final List<Event> events = new CopyOnWriteArrayList<>();
    final FaultRegistry registry = FaultRegistry.standard();
    Nemesis nemesis;

    private FaultTestCluster(Topology topology) {
        this.cluster = new PatroniCluster(topology);
        this.budgets = FaultBudgets.of(topology);
    }

    static FaultTestCluster of(String name, int etcdMembers, Optional<Long> dataVolumeBytes) {
        return of(name, etcdMembers, dataVolumeBytes, Optional.empty());
    }

    /** As above, with each node's pg_wal on a volume of its own when {@code walVolumeBytes} is given. */
    static FaultTestCluster of(String name, int etcdMembers, Optional<Long> dataVolumeBytes, Optional<Long> walVolumeBytes) {
        var node = (java.util.function.Function<String, Topology.Node>) n ->
                new Topology.Node(n, Optional.empty(), false, false, dataVolumeBytes, walVolumeBytes);
        Topology.Images images = Topology.Images.defaults();
        // ttl 10 as the shipped designs; Patroni 4.0.7 (trixie) runs it as 20, and the fault budgets must know it.
        Topology t = new Topology(name, "java:" + FaultTestCluster.class.getSimpleName(), Map.of(),
                new Topology.PatroniSettings(10, 2, 4, 1048576, false, false, 1, true, false).asRunBy(images.stack()),
                new Topology.Dcs(etcdMembers), List.of(node.apply("node1"), node.apply("node2"), node.apply("node3")),
                Optional.empty(),
                new Topology.Router(Topology.RouteCheck.endpoint("/primary"), Topology.RouteCheck.endpoint("/replica"),
                        Duration.ofSeconds(1), 2, 1),
                List.of(), images, Duration.ofSeconds(120));
        return of(t);
    }

    /** A cluster of a shipped topology (for its Toxiproxy links, say). */
    static FaultTestCluster of(Topology t) {
        return new FaultTestCluster(t);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster.start();
        newNemesis();
        sql(leader(), "CREATE TABLE IF NOT EXISTS fault_probe (id bigserial PRIMARY KEY, payload text)");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        restore();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    void newNemesis() {
        nemesis = new Nemesis(new FaultContext(cluster, FaultRecorder.toHistory(events::add), new Random(42)));
    }

    Fault fault(String id, Map<String, ?> spec) {
        return registry.create(id, spec);
    }

    /** Heals whatever a test left and waits until the cluster is whole again (budget: a node's start). */
    void restore() {
        try {
            nemesis.healAll();
        } finally {
            newNemesis();
            Duration took;
            try {
                took = cluster.awaitHealthy(budgets.rejoin());
            } catch (Waits.WaitTimeoutException e) {
                // A test may leave a replica that cannot follow (a diverged timeline); rebuild it so the next
                // test starts whole. The test that caused it has already asserted what it meant to.
                String leader = leader();
                for (String node : otherNodes(leader)) {
                    if (!streamingFrom(leader).contains(node)) reinitialize(node);
                }
                took = cluster.awaitHealthy(budgets.rejoin());
            }
            System.out.println("cluster whole again after " + took.toMillis() + " ms: " + cluster.clusterView().summary());
        }
    }

    String leader() {
        return cluster.clusterView().leader().orElseThrow().name();
    }

    /** Patroni's view as one node sees it (ask a survivor, not the node a fault hit). */
    ClusterView viewFrom(String node) {
        return cluster.rest(node).cluster();
    }

    List<String> otherNodes(String node) {
        return cluster.nodes().keySet().stream().filter(n -> !n.equals(node)).sorted().toList();
    }

    /** The leader as the first answering node other than {@code excluded} sees it, if any. */
    Optional<String> leaderSeenByOthers(String excluded) {
        for (String n : otherNodes(excluded)) {
            try {
                return viewFrom(n).leader().filter(ClusterView.Member::isRunning).map(ClusterView.Member::name);
            } catch (RuntimeException e) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    /** Waits for a running leader other than {@code old}; returns its name. */
    String awaitNewLeader(String old, Duration budget) {
        Waits.until("a node other than " + old + " to lead", budget, budgets.poll(), () -> {
            Optional<String> l = leaderSeenByOthers(old);
            return new Waits.Probe(l.isPresent() && !l.get().equals(old) && !inRecoveryOrTrue(l.get()),
                    "leader " + l.orElse("none"));
        });
        return leaderSeenByOthers(old).orElseThrow();
    }

    /** Waits until {@code node} is a running replica streaming from {@code upstream} (upstream's pg_stat_replication). */
    void awaitStreaming(String node, String upstream, Duration budget) {
        Waits.until(node + " to stream from " + upstream, budget, budgets.poll(), () -> {
            java.util.Set<String> streaming = cluster.replication().streamingFrom(upstream);
            boolean replica = inRecoveryOrFalse(node);
            return new Waits.Probe(replica && streaming.contains(node),
                    node + (replica ? " in recovery" : " not in recovery") + "; " + upstream + " streams to " + streaming);
        });
    }

    /**
     * After a leader that lost its key wakes up (thaw, SIGCONT, a healed split), waits for one leader: either the old
     * primary demoted itself and streams from the new one, or (Patroni before 3.0.3 with etcd3) it took
     * the key back. The latter is accepted only on such a version, and the nodes left on the discarded
     * timeline are rebuilt. Returns "demoted" or "lock-stolen".
     */
    String settleAfterStaleLeaderWakes(String fault, String old, String next, long promotedTimeline, long wokeAt) {
        String outcome = Waits.until("one leader after " + old + " woke up", budgets.rejoin(), budgets.poll(), () -> {
            boolean oldReplica = inRecoveryOrFalse(old) && streamingFrom(next).contains(old);
            boolean lockStolen = leaderSeenByOthers(next).filter(old::equals).isPresent() && inRecoveryOrFalse(next);
            return new Waits.Probe(oldReplica || lockStolen, oldReplica ? "demoted" : lockStolen ? "lock-stolen"
                    : "undecided: " + cluster.clusterView().summary());
        });
        measure(fault, "woken primary settled: " + outcome, Duration.ofNanos(System.nanoTime() - wokeAt), budgets.rejoin());
        if (outcome.equals("lock-stolen")) {
            assertThat(versionBefore(patroniVersion(old), "3.0.3"))
                    .as("only Patroni before 3.0.3 overwrites another node's leader key (Patroni %s)", patroniVersion(old))
                    .isTrue();
            long oldTimeline = timeline(old);
            assertThat(oldTimeline).as("the old primary kept its older timeline").isLessThan(promotedTimeline);
            // Nodes that followed the discarded promotion cannot follow the old primary: rebuild them.
            for (String n : otherNodes(old)) {
                try {
                    awaitStreaming(n, old, budgets.failover());
                } catch (Waits.WaitTimeoutException e) {
                    reinitialize(n);
                }
            }
        }
        return outcome;
    }

    Connection connect(String node) throws SQLException {
        Credentials c = cluster.credentials();
        return Endpoints.connect(cluster.nodeJdbcUrl(node), c.superuser(), c.superuserPassword());
    }

    Connection connectRouter() throws SQLException {
        Credentials c = cluster.credentials();
        return Endpoints.connect(cluster.endpoints().routerReadWriteUrl(), c.superuser(), c.superuserPassword());
    }

    /** Waits until a write through the router's read-write port succeeds; returns how long that took. */
    Duration awaitRouterWrite(String payload, Duration budget) {
        long start = System.nanoTime();
        Waits.until("writes through the router to succeed again", budget, budgets.poll(), () -> {
            try (Connection conn = connectRouter(); Statement s = conn.createStatement()) {
                s.executeUpdate("INSERT INTO fault_probe (payload) VALUES ('" + payload.replace("'", "''") + "')");
                return Waits.Probe.done("written");
            } catch (SQLException e) {
                return Waits.Probe.notYet(e.getMessage());
            }
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    void sql(String node, String statement) {
        try (Connection c = connect(node); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(node + ": " + statement + ": " + e.getMessage(), e);
        }
    }

    List<String> query(String node, String select) {
        try (Connection c = connect(node); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) rows.add(rs.getString(1));
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(node + ": " + select + ": " + e.getMessage(), e);
        }
    }

    boolean inRecovery(String node) {
        String v = query(node, "SELECT pg_is_in_recovery()::text").get(0);
        return v.equals("true");
    }

    /** A key's value from etcd, asked inside a running member ("" when absent or unreachable). */
    String etcdGet(String key) {
        for (var etcd : cluster.etcdMembers().values()) {
            try {
                var r = etcd.execInContainer("etcdctl", "--command-timeout=2s", "get", key, "--print-value-only");
                if (r.getExitCode() == 0) return r.getStdout().trim();
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            }
        }
        return "";
    }

    boolean inRecoveryOrTrue(String node) {
        try {
            return inRecovery(node);
        } catch (RuntimeException e) {
            return true;
        }
    }

    boolean inRecoveryOrFalse(String node) {
        try {
            return inRecovery(node);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One small write on a node directly; returns the node that served it. */
    String write(String node) throws SQLException {
        try (Connection c = connect(node); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO fault_probe (payload) VALUES (repeat('x', 100))");
            try (ResultSet rs = s.executeQuery("SELECT current_setting('pgcert.node')")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * The timeline a node is on, from PostgreSQL (Patroni's /cluster may lag a loop): a primary's current
     * WAL file; a replica's walreceiver, or its last checkpoint when it does not stream.
     */
    long timeline(String node) {
        String sql = "SELECT CASE WHEN pg_is_in_recovery() THEN COALESCE((SELECT received_tli FROM pg_stat_wal_receiver),"
                + " (SELECT timeline_id FROM pg_control_checkpoint()))::text"
                + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)) END";
        String v = query(node, sql).get(0);
        return v.startsWith("x") ? Long.parseLong(v.substring(1), 16) : Long.parseLong(v);
    }

    java.util.Set<String> streamingFrom(String upstream) {
        return cluster.replication().streamingFrom(upstream);
    }

    String patroniVersion(String node) {
        return cluster.rest(node).getJson("/patroni").path("patroni").path("version").asText();
    }

    static boolean versionBefore(String version, String than) {
        String[] a = version.split("\\."), b = than.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? Integer.parseInt(a[i].replaceAll("\\D.*", "")) : 0;
            int y = i < b.length ? Integer.parseInt(b[i]) : 0;
            if (x != y) return x < y;
        }
        return false;
    }

    /** Patroni's own repair of a replica that cannot follow: a fresh base backup (patronictl reinit). */
    void reinitialize(String node) {
        System.out.println("reinitializing " + node + " (diverged; Patroni does not repair it by itself)");
        post(node, "/reinitialize", "{\"force\": true}");
    }

    /** PATCH /config on the leader: Patroni's dynamic configuration, e.g. failsafe_mode. */
    void patchConfig(String json) {
        send(leader(), "PATCH", "/config", json);
    }

    void post(String node, String path, String json) {
        send(node, "POST", path, json);
    }

    private void send(String node, String method, String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(cluster.endpoints().restUrls().get(node) + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(method + " " + path + " " + json + " on " + node + ": "
                    + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code check} passes at every poll for the whole of {@code hold}. The first poll that fails ends the
     * wait at once (Awaitility's failFast, the failed assertion as its cause), so a failure is never hidden
     * by a later good period. A poll takes time of its own (REST and SQL calls, slower on a loaded
     * machine), so the wait may run up to one more {@code hold} before it gives up on ever finishing.
     */
    void holdsFor(Duration hold, Duration poll, String what, org.awaitility.core.ThrowingRunnable check) {
        org.awaitility.Awaitility.await(what).during(hold).atMost(hold.multipliedBy(2)).pollDelay(Duration.ZERO)
                .pollInterval(poll).failFast(what, check).until(() -> true);
    }

    static Duration time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static <T> T timed(Supplier<T> s, Duration[] took) {
        long t0 = System.nanoTime();
        T v = s.get();
        took[0] = Duration.ofNanos(System.nanoTime() - t0);
        return v;
    }

    /** Appends one timing to target/fault-measurements.tsv: fault, what, value, unit, budget. */
    static void measure(String fault, String what, Duration took, Duration budget) {
        record(fault, what, took.toMillis(), "ms", budget.toMillis() + " ms");
    }

    static void record(String fault, String what, long value, String unit, String budget) {
        String line = fault + "\t" + what + "\t" + value + "\t" + unit + "\t" + budget + "\n";
        System.out.print("MEASURED " + line);
        try {
            Files.createDirectories(MEASUREMENTS.getParent());
            Files.writeString(MEASUREMENTS, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (nemesis != null) nemesis.healAll();
        } finally {
            cluster.stop();
        }
    }
}
