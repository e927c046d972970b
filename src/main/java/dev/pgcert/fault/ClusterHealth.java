package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.Endpoints;
import dev.pgcert.cluster.EtcdContainer;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.cluster.Waits;
import dev.pgcert.topology.Topology;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * "The cluster is whole again" after faults were healed: every container runs, every etcd member is
 * healthy, Patroni has a running leader and lists every node as running, every replica streams from
 * its upstream (seen on the upstream's pg_stat_replication), and a write through the read-write
 * endpoint succeeds. Scenarios use it to settle; tests use it to restore a shared cluster.
 */
public final class ClusterHealth {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final PatroniCluster cluster;
    private final TargetResolver targets;
    private final DockerOps docker;

    public ClusterHealth(PatroniCluster cluster) {
        this.cluster = cluster;
        this.targets = new TargetResolver(cluster, new Random(0));
        this.docker = new DockerOps(FaultContext.dockerClient(), cluster);
    }

    /** Waits until the cluster is whole; returns how long that took. */
    public Duration awaitHealthy(Duration budget) {
        long begin = System.nanoTime();
        Waits.until("cluster " + cluster.topology().name() + " to be whole again", budget,
                FaultBudgets.of(cluster.topology()).poll(), this::probe);
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** One look at the cluster: whole or not, and what is missing. */
    public Waits.Probe probe() {
        List<String> problems = new ArrayList<>();
        for (Component c : targets.all()) {
            DockerOps.State s = docker.state(c);
            if (s != DockerOps.State.RUNNING) problems.add(c.name() + " " + s.name().toLowerCase());
        }
        if (!problems.isEmpty()) return Waits.Probe.notYet(String.join("; ", problems));
        for (Map.Entry<String, EtcdContainer> e : cluster.etcdMembers().entrySet()) {
            if (!etcdHealthy(e.getValue())) problems.add(e.getKey() + " unhealthy");
        }
        ClusterView view = cluster.clusterView();
        String leader = view.leader().filter(ClusterView.Member::isRunning).map(ClusterView.Member::name).orElse(null);
        if (leader == null) problems.add("no running leader");
        for (Topology.Node node : cluster.topology().nodes()) {
            var m = view.member(node.name());
            if (m.isEmpty()) problems.add(node.name() + " not a member");
            else if (!m.get().isRunning()) problems.add(node.name() + " " + m.get().state());
        }
        if (problems.isEmpty()) {
            for (Topology.Node node : cluster.topology().nodes()) {
                if (node.name().equals(leader)) continue;
                String upstream = node.replicateFrom().orElse(leader);
                if (!streamingFrom(upstream).contains(node.name())) problems.add(node.name() + " not streaming from " + upstream);
            }
        }
        if (problems.isEmpty()) {
            String writeProblem = writeThroughRouter();
            if (writeProblem != null) problems.add(writeProblem);
        }
        return problems.isEmpty() ? Waits.Probe.done(view.summary())
                : Waits.Probe.notYet(String.join("; ", problems) + " [" + view.summary() + "]");
    }

    private static boolean etcdHealthy(EtcdContainer etcd) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + etcd.getMappedPort(EtcdContainer.CLIENT_PORT) + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return false;
        }
    }

    private Set<String> streamingFrom(String upstream) {
        Set<String> names = new TreeSet<>();
        Credentials c = cluster.credentials();
        try (Connection conn = Endpoints.connect(cluster.nodeJdbcUrl(upstream), c.superuser(), c.superuserPassword());
             Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")) {
            while (rs.next()) names.add(rs.getString(1));
        } catch (SQLException e) {
            // unreachable upstream: nobody streams from it as far as we can tell
        }
        return names;
    }

    private String writeThroughRouter() {
        Credentials c = cluster.credentials();
        try (Connection conn = Endpoints.connect(cluster.endpoints().readWriteUrl(), c.appUser(), c.appPassword());
             Statement s = conn.createStatement()) {
            // Negative ids stay clear of the readiness probe's ids.
            s.executeUpdate("INSERT INTO pgcert_probe VALUES (" + -System.nanoTime() + ", current_setting('pgcert.node'))"
                    + " ON CONFLICT DO NOTHING");
            return null;
        } catch (SQLException e) {
            return "write through read-write endpoint failed: " + e.getMessage();
        }
    }
}
