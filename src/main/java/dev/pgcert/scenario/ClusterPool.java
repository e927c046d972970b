package dev.pgcert.scenario;

import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Clusters shared between scenarios of one topology: booting takes longer than resetting, and a
 * 2-core CI machine cannot afford a cluster per scenario. Before reuse the cluster must be whole
 * again (leader, members running, replicas caught up); a cluster that does not heal within the
 * topology's budget is replaced by a fresh one.
 */
public final class ClusterPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPool.class);

    private final Map<Topology, PatroniCluster> clusters = new LinkedHashMap<>();

    public synchronized PatroniCluster acquire(Topology topology) {
        PatroniCluster existing = clusters.get(topology);
        if (existing != null) {
            try {
                existing.awaitHealthy();
                leadFromBootstrapNode(existing);
                return existing;
            } catch (RuntimeException e) {
                LOG.warn("cluster {} did not heal ({}); starting a fresh one", topology.name(), e.getMessage());
                existing.stop();
                clusters.remove(topology);
            }
        }
        // One cluster at a time on a small machine: others are stopped before a new one starts.
        close();
        PatroniCluster fresh = new PatroniCluster(topology);
        fresh.start();
        clusters.put(topology, fresh);
        return fresh;
    }

    /**
     * A reused cluster starts the next scenario as a fresh one would: led by the topology's bootstrap
     * node (an earlier scenario may have moved the leader). Scenarios that name nodes (a switchover to
     * node2, a kill of node3) and seeded schedules then act on the same roles in every run. The
     * switchover happens before the run's history starts, so no checker sees it.
     */
    static void leadFromBootstrapNode(PatroniCluster cluster) {
        String first = cluster.topology().bootstrapNode().map(dev.pgcert.topology.Topology.Node::name).orElse(null);
        String leader = cluster.clusterView().leader().map(dev.pgcert.cluster.ClusterView.Member::name).orElse(null);
        if (first == null || leader == null || first.equals(leader)) {
            return;
        }
        LOG.info("{}: {} leads after the last scenario; switching over to {} so this one starts as a fresh cluster would",
                cluster.topology().name(), leader, first);
        int status = cluster.rest(leader).switchover(leader, java.util.Optional.of(first),
                dev.pgcert.fault.FaultBudgets.of(cluster.topology()).failover());
        if (status != 200) {
            throw new IllegalStateException("switchover from " + leader + " back to " + first + " refused (HTTP " + status + ")");
        }
        cluster.awaitHealthy();
    }

    /** The running cluster of this topology, or null. */
    public synchronized PatroniCluster acquireExisting(Topology topology) {
        return clusters.get(topology);
    }

    @Override
    public synchronized void close() {
        clusters.values().forEach(PatroniCluster::stop);
        clusters.clear();
    }
}
