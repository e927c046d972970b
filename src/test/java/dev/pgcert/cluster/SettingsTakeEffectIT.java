package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The settings a topology states take effect on the running cluster, read back from each component
 * itself: Patroni's {@code GET /config} (the dynamic configuration in the DCS) and {@code GET /patroni}
 * (a member's tags), PostgreSQL's {@code pg_settings} and {@code pg_replication_slots}, PgBouncer's
 * {@code SHOW CONFIG}, and HAProxy's stats CSV ({@code check_rise}, {@code check_fall} per server).
 * Both shipped designs need Patroni 4 (stack trixie).
 */
class SettingsTakeEffectIT {

    @Test
    void threeNodeQuorum() throws Exception {
        Topology topology = TopologyLoader.load(Path.of("topologies", "three-node-quorum.yaml"));
        PatroniCluster cluster = new PatroniCluster(topology);
        try {
            cluster.start();
            String leader = cluster.clusterView().leader().orElseThrow().name();

            JsonNode config = cluster.rest(leader).getJson("/config");
            assertThat(config.path("synchronous_mode").asText()).isEqualTo("quorum");
            assertThat(config.path("synchronous_node_count").asInt()).isEqualTo(1);
            assertThat(config.path("primary_start_timeout").asInt()).isZero();
            assertThat(config.path("check_timeline").asBoolean()).isTrue();
            assertThat(config.path("maximum_lag_on_syncnode").asLong()).isEqualTo(16L << 20);
            assertThat(config.path("ttl").asInt()).isEqualTo(20);

            // Quorum commit: Patroni writes ANY n (...) once the replicas stream.
            Waits.until("synchronous_standby_names to be a quorum (ANY 1 ...) on " + leader, topology.startupTimeout(),
                    Duration.ofMillis(200), () -> {
                        String names = setting(cluster, leader, "synchronous_standby_names");
                        return new Waits.Probe(names.startsWith("ANY 1 ("), "synchronous_standby_names = '" + names + "'");
                    });
            assertThat(setting(cluster, leader, "wal_keep_size")).isEqualTo(Long.toString(512));
            assertThat(setting(cluster, leader, "max_connections")).isEqualTo("100");

            Map<String, String> pgbouncer = showConfig(cluster);
            assertThat(pgbouncer).containsEntry("server_check_delay", "5").containsEntry("query_wait_timeout", "30")
                    .containsEntry("server_lifetime", "600").containsEntry("pool_mode", "transaction")
                    .containsEntry("server_login_retry", "1").containsEntry("max_client_conn", "200");

            Map<String, List<String>> checks = haproxyChecks(cluster);
            // read_write: fall 2 rise 1 (the router's); read_only: fall 3 rise 2 (its own).
            assertThat(checks.get("read_write")).isNotEmpty().allMatch("rise=1 fall=2"::equals);
            assertThat(checks.get("read_only")).isNotEmpty().allMatch("rise=2 fall=3"::equals);
        } finally {
            cluster.stop();
        }
    }

    @Test
    void permanentSlots() throws Exception {
        Topology topology = TopologyLoader.load(Path.of("topologies", "permanent-slots.yaml"));
        PatroniCluster cluster = new PatroniCluster(topology);
        try {
            cluster.start();
            String leader = cluster.clusterView().leader().orElseThrow().name();

            JsonNode config = cluster.rest(leader).getJson("/config");
            assertThat(config.path("slots").path("archive").path("type").asText()).isEqualTo("physical");
            assertThat(config.path("slots").path("cdc").path("plugin").asText()).isEqualTo("pgoutput");
            assertThat(config.path("ignore_slots").get(0).path("name").asText()).isEqualTo("external_tool");
            assertThat(config.path("member_slots_ttl").asInt()).isEqualTo(600);

            assertThat(cluster.rest("node2").getJson("/patroni").path("tags").path("failover_priority").asInt()).isEqualTo(2);
            JsonNode node3Tags = cluster.rest("node3").getJson("/patroni").path("tags");
            assertThat(node3Tags.path("failover_priority").asInt()).isEqualTo(1);
            assertThat(node3Tags.path("nosync").asBoolean()).isTrue();

            assertThat(setting(cluster, leader, "wal_level")).isEqualTo("logical");
            // Patroni creates permanent slots in its HA loop: on the leader, and physical ones on replicas too.
            Waits.until("permanent slots archive and cdc on " + leader, topology.startupTimeout(), Duration.ofMillis(500),
                    () -> {
                        Map<String, String> slots = slots(cluster, leader);
                        return new Waits.Probe("physical".equals(slots.get("archive")) && "logical".equals(slots.get("cdc")),
                                "slots " + slots);
                    });
            Waits.until("permanent physical slot archive on node2", topology.startupTimeout(), Duration.ofMillis(500),
                    () -> {
                        Map<String, String> slots = slots(cluster, "node2");
                        return new Waits.Probe("physical".equals(slots.get("archive")), "slots " + slots);
                    });
        } finally {
            cluster.stop();
        }
    }

    private static String setting(PatroniCluster cluster, String node, String name) {
        try (Connection c = superuser(cluster, node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT setting FROM pg_settings WHERE name = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : "";
        } catch (SQLException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static Map<String, String> slots(PatroniCluster cluster, String node) {
        Map<String, String> slots = new HashMap<>();
        try (Connection c = superuser(cluster, node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT slot_name, slot_type FROM pg_replication_slots")) {
            while (rs.next()) {
                slots.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            slots.put("error", e.getMessage());
        }
        return slots;
    }

    private static Connection superuser(PatroniCluster cluster, String node) throws SQLException {
        Credentials cred = cluster.credentials();
        return Endpoints.connect(cluster.nodeJdbcUrl(node), cred.superuser(), cred.superuserPassword());
    }

    /** PgBouncer's SHOW CONFIG on its console, as its stats user (replication mode: see PoolerConfig.ini). */
    private static Map<String, String> showConfig(PatroniCluster cluster) throws SQLException {
        Credentials cred = cluster.credentials();
        Properties p = Endpoints.properties(cred.appUser(), cred.appPassword(), 2, 3, 5, "pgcert-it");
        p.setProperty("replication", "database");
        String url = "jdbc:postgresql://127.0.0.1:" + cluster.pooler().orElseThrow().port() + "/pgbouncer?preferQueryMode=simple";
        Map<String, String> config = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW CONFIG")) {
            while (rs.next()) {
                config.put(rs.getString("key"), rs.getString("value"));
            }
        }
        return config;
    }

    /** Each proxy's servers as "rise=R fall=F", from HAProxy's stats CSV. */
    private static Map<String, List<String>> haproxyChecks(PatroniCluster cluster) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.router().statsPort() + "/;csv")).timeout(Duration.ofSeconds(2))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        List<String> lines = resp.body().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).substring(1).trim().split(",", -1));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int rise = header.indexOf("check_rise");
        int fall = header.indexOf("check_fall");
        Map<String, List<String>> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length <= Math.max(rise, fall) || f[sv].equals("FRONTEND") || f[sv].equals("BACKEND")) {
                continue;
            }
            out.computeIfAbsent(f[px], k -> new ArrayList<>()).add("rise=" + f[rise] + " fall=" + f[fall]);
        }
        return out;
    }
}
