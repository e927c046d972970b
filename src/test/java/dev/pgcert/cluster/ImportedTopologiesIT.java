package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcert.imports.Importer;
import dev.pgcert.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each production-shaped configuration set (src/test/resources/import/) imported by {@code pgcert import}
 * boots, and what it reproduced took effect on the running cluster: every imported PostgreSQL parameter
 * in pg_settings, Patroni's dynamic settings in its /config, synchronous replication where it was asked for.
 */
// Nightly (mvn verify -Pnightly): several clusters booted; kept out of the 45-minute CI budget.
@org.junit.jupiter.api.Tag("nightly")
class ImportedTopologiesIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"consul", "etcd-sync", "patroni-example"})
    void anImportedSetBootsWithItsSettings(String set) throws Exception {
        Path dir = Path.of("src/test/resources/import", set);
        Importer importer = new Importer().withPatroni(dir.resolve("patroni.yml")).withHaproxy(dir.resolve("haproxy.cfg"));
        if (Files.exists(dir.resolve("pgbouncer.ini"))) {
            importer.withPgBouncer(dir.resolve("pgbouncer.ini"));
        }
        Topology topology = importer.run().topology();
        PatroniCluster cluster = new PatroniCluster(topology);
        try {
            cluster.start();
            ClusterView view = cluster.clusterView();
            assertThat(view.members()).hasSize(topology.nodes().size());
            String leader = view.leader().orElseThrow().name();

            Credentials cred = cluster.credentials();
            try (Connection c = Endpoints.connect(cluster.nodeJdbcUrl(leader), cred.superuser(), cred.superuserPassword());
                 Statement s = c.createStatement()) {
                for (Map.Entry<String, String> p : topology.postgresql().entrySet()) {
                    try (ResultSet rs = s.executeQuery("SELECT current_setting('" + p.getKey() + "')")) {
                        rs.next();
                        assertThat(normalized(rs.getString(1))).as(set + ": " + p.getKey())
                                .isEqualTo(normalized(p.getValue()));
                    }
                }
            }
            if (topology.patroni().synchronousMode()) {
                // Patroni names the synchronous standby in its HA loop, up to a loop_wait after the replica streams.
                java.time.Duration budget = java.time.Duration.ofSeconds(3L * topology.patroni().loopWait());
                Waits.until(set + ": " + topology.patroni().synchronousNodeCount() + " synchronous standby(s) in "
                        + leader + "'s pg_stat_replication", budget, java.time.Duration.ofMillis(250), () -> {
                    try (Connection c = Endpoints.connect(cluster.nodeJdbcUrl(leader), cred.superuser(), cred.superuserPassword());
                         Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")) {
                        rs.next();
                        int sync = rs.getInt(1);
                        return new Waits.Probe(sync == topology.patroni().synchronousNodeCount(), sync + " sync");
                    } catch (java.sql.SQLException e) {
                        return Waits.Probe.notYet(e.getMessage());
                    }
                });
            }
            JsonNode config = cluster.rest(leader).getJson("/config");
            assertThat(config.path("ttl").asInt()).isEqualTo(topology.patroni().ttl());
            assertThat(config.path("loop_wait").asInt()).isEqualTo(topology.patroni().loopWait());
            assertThat(config.path("retry_timeout").asInt()).isEqualTo(topology.patroni().retryTimeout());
            assertThat(config.path("maximum_lag_on_failover").asLong()).isEqualTo(topology.patroni().maximumLagOnFailover());
        } finally {
            cluster.stop();
        }
        ShippedTopologiesIT.assertNothingLeft(cluster.runId());
    }

    /** PostgreSQL shows a setting in its own unit and case ("on", "256MB"); the file may say "On" or "256MB". */
    private static String normalized(String value) {
        return value.strip().toLowerCase(java.util.Locale.ROOT).replace("'", "").replace("\"", "").replace(", ", ",");
    }
}
