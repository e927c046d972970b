package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped standby-cluster topology boots as a second Patroni scope whose standby leader streams from
 * the primary cluster (a row written on the primary appears on the standby leader and on its replica),
 * and its promotion (PATCH /config removing standby_cluster) makes it writable, through HAProxy too.
 */
// Nightly (mvn verify -Pnightly): several clusters booted; kept out of the 45-minute CI budget.
@org.junit.jupiter.api.Tag("nightly")
class StandbyClusterIT {

    @Test
    void followsThePrimaryClusterAndBecomesWritableWhenPromoted() throws Exception {
        Topology topology = TopologyLoader.load(Path.of("topologies", "standby-cluster.yaml"));
        PatroniCluster cluster = new PatroniCluster(topology);
        try {
            cluster.start();
            StandbyClusterNodes standby = cluster.standbyCluster().orElseThrow();
            ClusterView view = standby.clusterView();
            assertThat(view.leader()).map(ClusterView.Member::role).contains("standby_leader");
            assertThat(view.leader()).map(ClusterView.Member::name).contains("dr1");
            assertThat(cluster.clusterView().members()).extracting(ClusterView.Member::name)
                    .as("the scopes are apart").containsExactlyInAnyOrder("node1", "node2");
            assertThat(cluster.replication().streamingFrom("node1")).contains("dr1");
            assertThat(standby.rest("dr1").getJson("/config").path("standby_cluster").path("host").asText()).isEqualTo("toxiproxy");

            long id = System.nanoTime();
            Credentials c = cluster.credentials();
            execute(cluster.nodeJdbcUrl("node1"), c, "INSERT INTO pgcert_probe VALUES (" + id + ", 'node1')");
            for (String member : new String[] {"dr1", "dr2"}) {
                Waits.until("the row to reach " + member, Duration.ofSeconds(30), Duration.ofMillis(100),
                        () -> new Waits.Probe(count(standby.nodeJdbcUrl(member), c, id) == 1, "not replayed yet"));
            }
            assertThat(writeFails(standby.nodeJdbcUrl("dr1"), c)).as("a standby leader refuses writes").isTrue();

            standby.promote();
            standby.awaitWritable(topology.startupTimeout());
            assertThat(standby.isPromoted()).isTrue();
            execute(standby.nodeJdbcUrl("dr1"), c, "INSERT INTO pgcert_probe VALUES (" + (id + 1) + ", 'dr1')");
            Waits.until("the promoted standby leader's row to reach dr2", Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> new Waits.Probe(count(standby.nodeJdbcUrl("dr2"), c, id + 1) == 1, "not replayed yet"));
        } finally {
            cluster.stop();
        }
        ShippedTopologiesIT.assertNothingLeft(cluster.runId());
    }

    private static void execute(String url, Credentials c, String sql) throws SQLException {
        try (Connection conn = Endpoints.connect(url, c.superuser(), c.superuserPassword()); Statement s = conn.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static long count(String url, Credentials c, long id) {
        try (Connection conn = Endpoints.connect(url, c.superuser(), c.superuserPassword()); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pgcert_probe WHERE id = " + id)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static boolean writeFails(String url, Credentials c) {
        try {
            execute(url, c, "INSERT INTO pgcert_probe VALUES (" + System.nanoTime() + ", 'standby')");
            return false;
        } catch (SQLException e) {
            return e.getMessage().contains("read-only");
        }
    }
}
