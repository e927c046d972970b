package dev.pgcert.topology;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A second Patroni cluster that follows the first one's primary (Patroni's {@code standby_cluster}): the
 * usual disaster-recovery design. It is its own Patroni scope on the same etcd; its standby leader
 * streams from the primary cluster through HAProxy's read-write port (so it follows a failover of the
 * primary cluster), optionally through a Toxiproxy link that adds the latency between two sites. Its own
 * members stream from the standby leader (or their {@code replicatefrom} node).
 *
 * @param name                 its Patroni scope
 * @param nodes                its members; the first that may lead is its standby leader
 * @param link                 the standby leader's link to the primary cluster through Toxiproxy, if any
 * @param recoveryMinApplyDelay Patroni's {@code standby_cluster.recovery_min_apply_delay}: a delayed standby
 */
public record StandbyCluster(String name, List<Topology.Node> nodes, Optional<Link> link,
                             Optional<Duration> recoveryMinApplyDelay) {

    public StandbyCluster {
        nodes = List.copyOf(nodes);
    }

    /**
     * The standby leader's replication link through Toxiproxy, so the distance between two sites (and
     * link faults) act on it.
     *
     * @param latency a latency toxic on the link from the start (zero: the link is only proxied)
     * @param jitter  its jitter
     */
    public record Link(Duration latency, Duration jitter) {}

    /** The member that bootstraps the standby cluster (by a base backup from the primary cluster) and leads it. */
    public Optional<Topology.Node> standbyLeader() {
        return Topology.bootstrapNodeOf(nodes);
    }

    public Topology.Node node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named " + nodeName + " in standby cluster " + name));
    }
}
