package dev.pgcert.cluster;

import com.github.dockerjava.api.command.InspectContainerResponse;
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
import java.util.Optional;

/**
 * "The cluster is whole again" after faults were healed, the one definition that scenarios settle on and
 * tests restore a shared cluster with: every container of the run runs (none stopped or paused), every
 * etcd member is healthy, Patroni has a running leader and lists every node as running, every replica
 * streams from its upstream (seen on the upstream's pg_stat_replication) and has replayed the leader's
 * WAL position, in synchronous mode Patroni has named its synchronous standbys again, and a write through the
 * read-write endpoint succeeds (unless the topology pins that
 * endpoint to one node, which then may never take writes again: that is the verdict's business, not a
 * reason to hang).
 */
final class ClusterHealth {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final PatroniCluster cluster;
    private final Topology topology;
    private final Credentials credentials;

    ClusterHealth(PatroniCluster cluster) {
        this.cluster = cluster;
        this.topology = cluster.topology();
        this.credentials = cluster.credentials();
    }

    /** One look: whole, or the first things found missing (with Patroni's view). */
    Waits.Probe probe() {
        List<String> problems = new ArrayList<>(containersNotRunning());
        if (!problems.isEmpty()) return Waits.Probe.notYet(String.join("; ", problems));
        cluster.etcdMembers().forEach((name, etcd) -> {
            if (!etcdHealthy(etcd)) problems.add(name + " unhealthy");
        });
        ClusterView view = cluster.clusterView();
        if (!view.fromDcs()) problems.add("no node can read the DCS (/cluster fails)");
        String leader = view.leader().filter(ClusterView.Member::isRunning).map(ClusterView.Member::name).orElse(null);
        if (leader == null) problems.add("no running leader");
        for (Topology.Node node : topology.nodes()) {
            var member = view.member(node.name());
            if (member.isEmpty()) problems.add(node.name() + " not a member");
            else if (!member.get().isRunning()) problems.add(node.name() + " " + member.get().state());
        }
        if (problems.isEmpty()) problems.addAll(replicasNotStreaming(leader));
        if (problems.isEmpty()) problems.addAll(replicasBehind(leader));
        if (problems.isEmpty()) synchronousStandbysMissing(topology, view, leader).ifPresent(problems::add);
        if (problems.isEmpty() && topology.router().readWrite().fixedNode().isEmpty()) {
            String writeProblem = writeThroughReadWriteEndpoint();
            if (writeProblem != null) problems.add(writeProblem);
        }
        return problems.isEmpty() ? Waits.Probe.done(view.summary())
                : Waits.Probe.notYet(String.join("; ", problems) + " [" + view.summary() + "]");
    }

    /**
     * In synchronous mode (true or quorum) the cluster is whole only once Patroni has named its synchronous
     * standbys again: as many as {@code synchronous_node_count} asks, or every replica that may be one if fewer
     * (not tagged {@code nosync}, not cascading from another replica: Patroni's {@code _ReplicaList}). Patroni does
     * so a loop or two after a replica streams; until then {@code /cluster} lists it as a plain replica, and in
     * strict mode the leader may be committing on {@code synchronous_standby_names = '*'}.
     */
    static Optional<String> synchronousStandbysMissing(Topology topology, ClusterView view, String leader) {
        Topology.PatroniSettings p = topology.patroni();
        if (!p.synchronousMode() && !p.quorumCommit()) return Optional.empty();
        long eligible = topology.nodes().stream()
                .filter(n -> !n.name().equals(leader) && n.replicateFrom().isEmpty()
                        && !Boolean.TRUE.equals(n.tags().get("nosync")))
                .count();
        long wanted = Math.min(Math.max(1, p.synchronousNodeCount()), eligible);
        long named = view.members().stream()
                .filter(ClusterView.Member::isSynchronousStandby).count();
        return named >= wanted ? Optional.empty()
                : Optional.of("Patroni names " + named + " of " + wanted + " synchronous standbys");
    }

    private List<String> containersNotRunning() {
        List<String> problems = new ArrayList<>();
        for (RunContainers.Member m : cluster.containers().all()) {
            InspectContainerResponse.ContainerState state = m.container().getCurrentContainerInfo().getState();
            if (Boolean.TRUE.equals(state.getPaused())) problems.add(m.name() + " paused");
            else if (!Boolean.TRUE.equals(state.getRunning())) problems.add(m.name() + " stopped");
        }
        return problems;
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

    private List<String> replicasNotStreaming(String leader) {
        List<String> problems = new ArrayList<>();
        for (Topology.Node node : topology.nodes()) {
            if (node.name().equals(leader)) continue;
            String upstream = node.replicateFrom().orElse(leader);
            if (!cluster.replication().streamingFrom(upstream).contains(node.name())) problems.add(node.name() + " not streaming from " + upstream);
        }
        return problems;
    }

    /** Replicas that have not yet replayed the leader's WAL position as it was a moment ago. */
    private List<String> replicasBehind(String leader) {
        long target;
        try (Connection c = admin(leader); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            target = rs.getLong(1);
        } catch (SQLException e) {
            return List.of("leader " + leader + " unreachable: " + e.getMessage());
        }
        List<String> behind = new ArrayList<>();
        for (Topology.Node node : topology.nodes()) {
            if (node.name().equals(leader)) continue;
            try (Connection c = admin(node.name()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                long replayed = rs.getLong(1);
                if (rs.wasNull()) behind.add(node.name() + " not replaying");
                else if (replayed < target) behind.add(node.name() + " " + (target - replayed) + " bytes behind");
            } catch (SQLException e) {
                behind.add(node.name() + " unreachable");
            }
        }
        return behind;
    }

    private String writeThroughReadWriteEndpoint() {
        try (Connection c = Endpoints.connect(cluster.endpoints().readWriteUrl(), credentials.appUser(), credentials.appPassword());
             Statement s = c.createStatement()) {
            // Negative ids stay clear of the readiness probe's ids.
            s.executeUpdate("INSERT INTO pgcert_probe VALUES (" + -System.nanoTime() + ", current_setting('pgcert.node'))"
                    + " ON CONFLICT DO NOTHING");
            return null;
        } catch (SQLException e) {
            return "write through the read-write endpoint failed: " + e.getMessage();
        }
    }

    private Connection admin(String node) throws SQLException {
        return Endpoints.connect(cluster.nodeAdminUrl(node), credentials.superuser(), credentials.superuserPassword());
    }
}
