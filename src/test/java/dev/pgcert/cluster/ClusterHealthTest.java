package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A synchronous cluster is whole only once Patroni has named its synchronous standbys again. Found by the peer suite:
 * right after readiness, and right after a settle, Patroni's /cluster still listed every replica as a plain replica
 * (synchronous_standby_names already 'node2', or '*' after a failover), so roles.sync_standby_before/_after read none.
 */
class ClusterHealthTest {

    private static ClusterView view(String... roles) {
        List<ClusterView.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < roles.length; i++) {
            members.add(new ClusterView.Member("node" + (i + 1), roles[i], i == 0 ? "running" : "streaming",
                    Optional.of(1L), Optional.of(0L), Optional.empty()));
        }
        return new ClusterView(members, "{}");
    }

    private static Topology load(String file) {
        return TopologyLoader.load(Path.of("topologies", file));
    }

    @Test
    void aSynchronousClusterWaitsForPatroniToNameItsStandby() {
        Topology sync = load("three-node-sync.yaml");
        assertThat(ClusterHealth.synchronousStandbysMissing(sync, view("leader", "replica", "replica"), "node1"))
                .contains("Patroni names 0 of 1 synchronous standbys");
        assertThat(ClusterHealth.synchronousStandbysMissing(sync, view("leader", "replica", "sync_standby"), "node1")).isEmpty();
    }

    @Test
    void asManyAsTheNodeCountAsksOrEveryEligibleReplica() {
        Topology two = load("peer/sync-two.yaml"); // synchronous_node_count 2
        assertThat(ClusterHealth.synchronousStandbysMissing(two, view("leader", "sync_standby", "replica"), "node1"))
                .contains("Patroni names 1 of 2 synchronous standbys");
        assertThat(ClusterHealth.synchronousStandbysMissing(two, view("leader", "sync_standby", "sync_standby"), "node1")).isEmpty();
        // node3 is tagged nosync: node2 is the only replica Patroni may name
        Topology pinned = load("peer/sync-pinned.yaml");
        assertThat(ClusterHealth.synchronousStandbysMissing(pinned, view("leader", "sync_standby", "replica"), "node1")).isEmpty();
        assertThat(ClusterHealth.synchronousStandbysMissing(pinned, view("leader", "replica", "replica"), "node1")).isPresent();
    }

    @Test
    void quorumStandbysCountAndAsynchronousClustersDoNotWait() {
        assertThat(ClusterHealth.synchronousStandbysMissing(load("three-node-quorum.yaml"),
                view("leader", "quorum_standby", "quorum_standby"), "node1")).isEmpty();
        assertThat(ClusterHealth.synchronousStandbysMissing(load("three-node-async.yaml"),
                view("leader", "replica", "replica"), "node1")).isEmpty();
    }
}
