package dev.pgcert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgcert.topology.StandbyCluster;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the connection paths and the standby cluster render, without Docker. */
class ConnectAndStandbyConfigTest {

    @Test
    void aMultiHostUrlListsEveryNodeWithItsTargetServerType() {
        String rw = Endpoints.multiHostUrl(List.of(20001, 20002, 20003), "app", "primary", false, Duration.ofSeconds(2));
        String ro = Endpoints.multiHostUrl(List.of(20001, 20002), "app", "preferSecondary", true, Duration.ofMillis(300));
        assertThat(rw).isEqualTo("jdbc:postgresql://127.0.0.1:20001,127.0.0.1:20002,127.0.0.1:20003/app"
                + "?targetServerType=primary&hostRecheckSeconds=2");
        assertThat(ro).isEqualTo("jdbc:postgresql://127.0.0.1:20001,127.0.0.1:20002/app"
                + "?targetServerType=preferSecondary&hostRecheckSeconds=1&loadBalanceHosts=true");
    }

    @Test
    void pgBouncerAloneStartsOnTheBootstrapNodeAndBehindHaproxyOnTheRouter() {
        Topology t = TopologyLoader.load(Path.of("topologies", "connect-pgbouncer.yaml"));
        String direct = PoolerConfig.iniDirect(t.pgbouncer().orElseThrow(), "node1", null);
        assertThat(direct).contains(Credentials.DATABASE + " = host=node1 port=" + PatroniConfig.PG_PORT + " ")
                .contains(Credentials.DATABASE + PoolerConfig.RO_SUFFIX + " = host=node1 port=" + PatroniConfig.PG_PORT + " ");
        String routed = PoolerConfig.ini(t.pgbouncer().orElseThrow(), "router");
        assertThat(routed).contains("host=router port=" + RouterConfig.RW_PORT)
                .contains(PoolerConfig.RO_SUFFIX + " = host=router port=" + RouterConfig.RO_PORT);
    }

    @Test
    void aStandbyMemberRunsUnderItsOwnScopeFollowingTheGivenHost() throws Exception {
        Topology t = TopologyLoader.load(Path.of("topologies", "standby-cluster.yaml"));
        StandbyCluster s = t.standbyCluster().orElseThrow();
        String yaml = StandbyClusterConfig.render(t, s, s.node("dr1"), List.of("etcd1:2379"), Credentials.generate(),
                "toxiproxy", 8670);
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(root.path("scope").asText()).isEqualTo("standby-cluster-dr");
        assertThat(root.path("name").asText()).isEqualTo("dr1");
        JsonNode standby = root.path("bootstrap").path("dcs").path("standby_cluster");
        assertThat(standby.path("host").asText()).isEqualTo("toxiproxy");
        assertThat(standby.path("port").asInt()).isEqualTo(8670);
        assertThat(standby.path("create_replica_methods").get(0).asText()).isEqualTo("basebackup");
        assertThat(root.path("bootstrap").path("dcs").path("ttl").asInt()).isEqualTo(t.patroni().ttl());
    }

    @Test
    void haproxyListsTheStandbyClustersMembersToo() {
        Topology t = TopologyLoader.load(Path.of("topologies", "standby-cluster.yaml"));
        String cfg = RouterConfig.render(t);
        for (String node : List.of("node1", "node2", "dr1", "dr2")) {
            assertThat(cfg).contains("server " + node + " " + node + ":" + PatroniConfig.PG_PORT);
        }
    }
}
