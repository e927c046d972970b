package dev.pgcert.topology;

import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The connect: and standby_cluster: sections as read into the model; their refused inputs are in topologies/bad/. */
class ConnectAndStandbyTest {

    private static final String NODES = "nodes:\n  - name: node1\n  - name: node2\n";

    @Test
    void withoutConnectThePathFollowsWhetherThereIsPgBouncer() {
        assertThat(TopologyLoader.parse("name: a\n" + NODES + "pgbouncer: {}\n", "a.yaml").connect().path())
                .isEqualTo(Connect.Path.PGBOUNCER_HAPROXY);
        assertThat(TopologyLoader.parse("name: a\n" + NODES, "a.yaml").connect().path()).isEqualTo(Connect.Path.HAPROXY);
    }

    @Test
    void theMappingFormCarriesEachPathsOwnSetting() {
        Topology jdbc = TopologyLoader.parse("name: a\n" + NODES + "connect: {path: jdbc-multihost, host_recheck: 3s}\n", "a.yaml");
        assertThat(jdbc.connect().path()).isEqualTo(Connect.Path.JDBC_MULTIHOST);
        assertThat(jdbc.connect().hostRecheck()).isEqualTo(Duration.ofSeconds(3));
        assertThat(jdbc.connect().router()).isFalse();
        assertThat(jdbc.connect().pooler()).isFalse();

        Topology bouncer = TopologyLoader.parse("name: a\n" + NODES + "pgbouncer: {}\n"
                + "connect: {path: pgbouncer, leader_check_interval: 500ms}\n", "a.yaml");
        assertThat(bouncer.connect().leaderCheckInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(bouncer.connect().pooler()).isTrue();
        assertThat(bouncer.connect().router()).isFalse();
    }

    @Test
    void anUnusedPgBouncerIsAWarningNotAnError() {
        Topology t = TopologyLoader.parse("name: a\n" + NODES + "connect: haproxy\npgbouncer: {}\n", "a.yaml");
        assertThat(t.connect().pooler()).isFalse();
    }

    @Test
    void aStandbyClusterIsReadWithItsOwnScopeNodesAndLink() {
        Topology t = TopologyLoader.parse("name: main\n" + NODES + "standby_cluster:\n  nodes:\n    - name: dr1\n"
                + "    - name: dr2\n      tags: {replicatefrom: dr1}\n  link: {latency: 30ms}\n"
                + "  recovery_min_apply_delay: 1s\n", "a.yaml");
        StandbyCluster s = t.standbyCluster().orElseThrow();
        assertThat(s.name()).isEqualTo("main-dr");
        assertThat(s.nodes()).extracting(Topology.Node::name).containsExactly("dr1", "dr2");
        assertThat(s.standbyLeader()).map(Topology.Node::name).contains("dr1");
        assertThat(s.link()).map(StandbyCluster.Link::latency).contains(Duration.ofMillis(30));
        assertThat(s.recoveryMinApplyDelay()).contains(Duration.ofSeconds(1));
    }

    @Test
    void aStandbyClusterWithoutNodesIsRefusedAtItsLine() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> TopologyLoader.parse(
                "name: main\n" + NODES + "standby_cluster:\n  name: dr\n", "s.yaml"));
        assertThat(e.getMessage()).isEqualTo("s.yaml:6:3: standby_cluster.nodes: required field is missing");
    }

    @Test
    void theShippedTopologiesDeclareWhatTheirNamesSay() throws Exception {
        for (Connect.Path path : Connect.Path.values()) {
            Topology t = TopologyLoader.load(Path.of("topologies", "connect-" + path.key() + ".yaml"));
            assertThat(t.connect().path()).as(path.key()).isEqualTo(path);
        }
        Topology standby = TopologyLoader.load(Path.of("topologies", "standby-cluster.yaml"));
        assertThat(standby.standbyCluster()).isPresent();
        assertThat(standby.connect().router()).isTrue();
    }
}
