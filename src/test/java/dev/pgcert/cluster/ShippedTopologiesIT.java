package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each shipped topology boots as its file says: roles, every replication edge hop by hop, a row
 * written through PgBouncer's read-write side read back from a replica on the read-only side, and
 * nothing of the run left on the Docker engine afterwards.
 */
class ShippedTopologiesIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"three-node-async", "three-node-sync", "cascade", "etcd-quorum"})
    void bootsAsDescribed(String name) throws Exception {
        Topology topology = TopologyLoader.load(Path.of("topologies", name + ".yaml"));
        PatroniCluster cluster = new PatroniCluster(topology);
        try {
            cluster.start();
            ClusterView view = cluster.clusterView();
            String leader = topology.nodes().get(0).name();
            assertThat(view.leader()).map(ClusterView.Member::name).contains(leader);
            assertThat(view.members()).hasSize(topology.nodes().size());

            Map<String, String> upstreamOf = observedUpstreams(cluster);
            for (Topology.Node node : topology.nodes().subList(1, topology.nodes().size())) {
                assertThat(upstreamOf.get(node.name()))
                        .as("upstream of %s", node.name())
                        .isEqualTo(node.replicateFrom().orElse(leader));
            }
            if (topology.patroni().synchronousMode()) {
                assertThat(syncStates(cluster, leader)).containsValue("sync");
            }
            assertWriteReadBack(cluster);
            if (topology.dcs().members() == 3) {
                for (EtcdContainer member : cluster.etcdMembers().values()) {
                    var health = member.execInContainer("etcdctl", "--endpoints=http://127.0.0.1:2379", "endpoint", "health");
                    assertThat(health.getStdout() + health.getStderr()).contains("is healthy");
                }
            }
        } finally {
            cluster.stop();
        }
        assertNothingLeft(cluster.runId());
    }

    /** Who streams from whom, read off every node's pg_stat_replication. */
    private static Map<String, String> observedUpstreams(PatroniCluster cluster) {
        Map<String, String> upstreamOf = new HashMap<>();
        for (String node : cluster.nodes().keySet()) {
            cluster.replication().streamingFrom(node).forEach(replica -> upstreamOf.put(replica, node));
        }
        return upstreamOf;
    }

    private static Map<String, String> syncStates(PatroniCluster cluster, String leader) throws SQLException {
        Map<String, String> states = new HashMap<>();
        try (Connection c = superuser(cluster, leader); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name, sync_state FROM pg_stat_replication")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
        }
        return states;
    }

    private static void assertWriteReadBack(PatroniCluster cluster) throws SQLException {
        Credentials cred = cluster.credentials();
        Endpoints endpoints = cluster.endpoints();
        long id = System.nanoTime();
        try (Connection rw = Endpoints.connect(endpoints.readWriteUrl(), cred.appUser(), cred.appPassword());
             Statement s = rw.createStatement()) {
            s.executeUpdate("INSERT INTO pgcert_probe VALUES (" + id + ", current_setting('pgcert.node'))");
        }
        String[] servedBy = new String[1];
        Waits.until("the row to be readable on the read-only endpoint", cluster.topology().startupTimeout(),
                java.time.Duration.ofMillis(100), () -> {
                    try (Connection ro = Endpoints.connect(endpoints.readOnlyUrl(), cred.appUser(), cred.appPassword());
                         Statement s = ro.createStatement();
                         ResultSet rs = s.executeQuery("SELECT current_setting('pgcert.node'), pg_is_in_recovery(), written_on"
                                 + " FROM pgcert_probe WHERE id = " + id)) {
                        if (!rs.next()) {
                            return Waits.Probe.notYet("row not there yet");
                        }
                        servedBy[0] = rs.getString(1) + (rs.getBoolean(2) ? " (replica)" : " (primary)");
                        return new Waits.Probe(rs.getBoolean(2), "served by " + servedBy[0]);
                    } catch (SQLException e) {
                        return Waits.Probe.notYet(e.getMessage());
                    }
                });
        assertThat(servedBy[0]).endsWith("(replica)");
    }

    private static Connection superuser(PatroniCluster cluster, String node) throws SQLException {
        Credentials cred = cluster.credentials();
        return Endpoints.connect(cluster.nodeJdbcUrl(node), cred.superuser(), cred.superuserPassword());
    }

    static void assertNothingLeft(String runId) {
        var docker = DockerClientFactory.instance().client();
        Map<String, String> label = Map.of(HarnessLabels.RUN_ID, runId);
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()).isEmpty();
        assertThat(docker.listNetworksCmd().withFilter("label", List.of(HarnessLabels.RUN_ID + "=" + runId)).exec()).isEmpty();
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(HarnessLabels.RUN_ID + "=" + runId)).exec().getVolumes();
        assertThat(volumes == null ? List.of() : volumes).isEmpty();
    }
}
