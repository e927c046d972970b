package dev.pgcert.cluster;

import java.time.Duration;

/** The Patroni REST APIs of a run's nodes, through their ports published on 127.0.0.1. */
public final class PatroniApi {
    private final RunContainers containers;
    private final Duration timeout;

    /** @param timeout a REST call should answer well within one Patroni loop; a slower answer is as good as none */
    PatroniApi(RunContainers containers, Duration timeout) {
        this.containers = containers;
        this.timeout = timeout;
    }

    public PatroniRest rest(String node) {
        return new PatroniRest(node, "127.0.0.1", containers.node(node).restPort(), timeout);
    }

    /** Patroni's view of the cluster, asked of the first node whose REST API answers. */
    public ClusterView clusterView() {
        RuntimeException last = null;
        for (String name : containers.nodes().keySet()) {
            try {
                if (containers.node(name).isRunning()) {
                    return rest(name).cluster();
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no Patroni REST API answers", last);
    }
}
