package dev.pgcert.cluster;

import dev.pgcert.topology.Connect;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each connection path's topology ({@code topologies/connect-*.yaml}) boots with exactly the components
 * its path declares (HAProxy, PgBouncer, both or neither), the application's endpoints go that way, and
 * a write through the read-write endpoint lands on the primary and is read back on a replica through the
 * read-only endpoint. For PgBouncer alone, its leader follower must re-point it after a switchover.
 */
// Nightly (mvn verify -Pnightly): several clusters booted; kept out of the 45-minute CI budget.
@org.junit.jupiter.api.Tag("nightly")
class ConnectPathsIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pgbouncer-haproxy", "haproxy", "pgbouncer", "jdbc-multihost"})
    void bootsWithTheDeclaredPath(String path) throws Exception {
        Topology topology = TopologyLoader.load(Path.of("topologies", "connect-" + path + ".yaml"));
        Connect.Path declared = topology.connect().path();
        assertThat(declared.key()).isEqualTo(path);
        PatroniCluster cluster = new PatroniCluster(topology);
        try {
            cluster.start();
            assertThat(cluster.containers().router().isPresent()).as("HAProxy runs").isEqualTo(declared.router());
            assertThat(cluster.containers().pooler().isPresent()).as("PgBouncer runs").isEqualTo(declared.pooler());
            Endpoints endpoints = cluster.endpoints();
            int poolerPort = cluster.pooler().map(PoolerContainer::port).orElse(-1);
            int routerPort = cluster.containers().router().map(RouterContainer::readWritePort).orElse(-1);
            switch (declared) {
                case PGBOUNCER_HAPROXY, PGBOUNCER -> assertThat(endpoints.readWriteUrl()).contains(":" + poolerPort + "/");
                case HAPROXY -> assertThat(endpoints.readWriteUrl()).contains(":" + routerPort + "/");
                case JDBC_MULTIHOST -> {
                    assertThat(endpoints.readWriteUrl()).contains("targetServerType=primary");
                    assertThat(endpoints.readOnlyUrl()).contains("targetServerType=preferSecondary");
                    for (PatroniNodeContainer node : cluster.nodes().values()) {
                        assertThat(endpoints.readWriteUrl()).contains("127.0.0.1:" + node.postgresPort());
                    }
                }
            }
            assertThat(writeServedBy(cluster, endpoints)).isEqualTo("node1");
            assertReadOnReplica(cluster, endpoints);
            if (declared == Connect.Path.PGBOUNCER || declared == Connect.Path.JDBC_MULTIHOST) {
                // No router: the path itself must find the new primary.
                cluster.rest("node1").switchover("node1", java.util.Optional.of("node2"), topology.startupTimeout());
                Waits.until("writes through " + path + " to land on node2", topology.startupTimeout(), Duration.ofMillis(200), () -> {
                    try {
                        String node = writeServedBy(cluster, endpoints);
                        return new Waits.Probe(node.equals("node2"), "written on " + node);
                    } catch (SQLException e) {
                        return Waits.Probe.notYet(e.getMessage());
                    }
                });
            }
        } finally {
            cluster.stop();
        }
        ShippedTopologiesIT.assertNothingLeft(cluster.runId());
    }

    private static String writeServedBy(PatroniCluster cluster, Endpoints endpoints) throws SQLException {
        Credentials cred = cluster.credentials();
        try (Connection rw = Endpoints.connect(endpoints.readWriteUrl(), cred.appUser(), cred.appPassword());
             Statement s = rw.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO pgcert_probe VALUES (" + System.nanoTime()
                     + ", current_setting('pgcert.node')) RETURNING written_on")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertReadOnReplica(PatroniCluster cluster, Endpoints endpoints) {
        Credentials cred = cluster.credentials();
        Waits.until("a read on a replica through the read-only endpoint", cluster.topology().startupTimeout(),
                Duration.ofMillis(200), () -> {
                    try (Connection ro = Endpoints.connect(endpoints.readOnlyUrl(), cred.appUser(), cred.appPassword());
                         Statement s = ro.createStatement();
                         ResultSet rs = s.executeQuery("SELECT current_setting('pgcert.node'), pg_is_in_recovery()")) {
                        rs.next();
                        return new Waits.Probe(rs.getBoolean(2), "served by " + rs.getString(1));
                    } catch (SQLException e) {
                        return Waits.Probe.notYet(e.getMessage());
                    }
                });
    }
}
