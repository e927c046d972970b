package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.cluster.Waits;
import dev.pgcert.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Roles resolved from Patroni's REST API on a live cluster: synchronous mode makes node2 the sync
 * standby, and node3 streams from node2 (replicatefrom), so it is the cascading replica.
 */
class TargetResolutionIT {
    private static PatroniCluster cluster;
    private static TargetResolver targets;

    @BeforeAll
    static void boot() {
        var node = (java.util.function.BiFunction<String, Optional<String>, Topology.Node>) (n, from) ->
                new Topology.Node(n, from, false, false, Optional.empty(), Optional.empty());
        Topology t = new Topology("targets", "java:TargetResolutionIT", Map.of(),
                new Topology.PatroniSettings(10, 2, 4, 1048576, true, false, 1, true, false).asRunBy(Topology.Images.defaults().stack()),
                new Topology.Dcs(1),
                List.of(node.apply("node1", Optional.empty()), node.apply("node2", Optional.empty()),
                        node.apply("node3", Optional.of("node2"))),
                Optional.empty(),
                new Topology.Router(Topology.RouteCheck.endpoint("/primary"), Topology.RouteCheck.endpoint("/replica"),
                        Duration.ofSeconds(1), 2, 1),
                List.of(), Topology.Images.defaults(), Duration.ofSeconds(120));
        cluster = new PatroniCluster(t);
        cluster.start();
        targets = new FaultContext(cluster, FaultRecorder.none(), new Random(1)).targets();
        Waits.until("node2 to be the sync standby", Duration.ofSeconds(t.patroni().ttl()), Duration.ofMillis(500), () -> {
            var view = cluster.clusterView();
            return new Waits.Probe(view.member("node2").map(m -> m.role().equals("sync_standby")).orElse(false), view.summary());
        });
    }

    @AfterAll
    static void teardown() {
        if (cluster != null) cluster.stop();
    }

    @Test
    void resolvesRolesFromPatroniNow() {
        assertThat(targets.resolve(Target.parse("primary")).name()).isEqualTo("node1");
        assertThat(targets.resolve(Target.parse("sync-standby")).name()).isEqualTo("node2");
        assertThat(targets.resolve(Target.parse("cascading-replica")).name()).isEqualTo("node3");
        assertThat(targets.resolve(Target.parse("replica")).name()).isIn("node2", "node3");
        assertThat(targets.resolve(Target.parse("etcd:1")).type()).isEqualTo(Component.Type.ETCD);
        assertThat(targets.resolve(Target.parse("router")).type()).isEqualTo(Component.Type.ROUTER);
        assertThatThrownBy(() -> targets.resolve(Target.parse("etcd:2"))).hasMessageContaining("1 member");
        assertThatThrownBy(() -> targets.resolve(Target.parse("pgbouncer"))).hasMessageContaining("no component named 'pgbouncer'");
    }

    @Test
    void replicasOfACascadingUpstreamAreItsOwnDownstreams() {
        FaultContext context = new FaultContext(cluster, FaultRecorder.none(), new Random(1));
        try (Nemesis nemesis = new Nemesis(context)) {
            Fault cut = nemesis.start(FaultRegistry.standard().create("cut-node2",
                    Map.of("kind", "partition", "target", "node2", "from", "replicas")));
            assertThat(peers(cut)).containsExactly("node3");
            Fault cutLeader = nemesis.start(FaultRegistry.standard().create("cut-node1",
                    Map.of("kind", "partition", "target", "primary", "from", "replicas")));
            assertThat(peers(cutLeader)).containsExactly("node2");
            String rules = cluster.node("node2").execInContainerWithUser("root", "iptables", "-S").getStdout();
            assertThat(rules).contains("PGCERT-cut-node2");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        // healed on close: no chain of ours is left behind
        try {
            assertThat(cluster.node("node2").execInContainerWithUser("root", "iptables", "-S").getStdout()).doesNotContain("PGCERT");
            assertThat(cluster.node("node1").execInContainerWithUser("root", "iptables", "-S").getStdout()).doesNotContain("PGCERT");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Set<String> peers(Fault partition) {
        return ((Map<String, Object>) partition.detail().get("peers")).keySet();
    }
}
