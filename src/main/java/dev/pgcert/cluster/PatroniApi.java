package dev.pgcert.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * Patroni's view of the cluster, asked of the first node whose REST API answers. {@code /cluster}
     * reads the DCS: while etcd is down or cut off, no node can answer it, and the view is put together
     * from each running member's own {@code GET /patroni} instead (its role as that member runs it now),
     * so a fault aimed at {@code primary} or {@code replica} can still find its target.
     */
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
        List<ClusterView.Member> members = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (String name : containers.nodes().keySet()) {
            try {
                if (containers.node(name).isRunning()) {
                    JsonNode p = rest(name).getJson("/patroni");
                    members.add(memberOf(name, p));
                    raw.add(p.toString());
                }
            } catch (RuntimeException e) {
                last = last == null ? e : last;
            }
        }
        if (!members.isEmpty()) {
            return new ClusterView(members, "[" + String.join(",", raw) + "]", false);
        }
        throw new IllegalStateException("no Patroni REST API answers", last);
    }

    /** A member as its own {@code /patroni} describes it, in {@code /cluster}'s words (primary or master is leader). */
    static ClusterView.Member memberOf(String name, JsonNode p) {
        String role = p.path("role").asText("unknown");
        if (role.equals("master") || role.equals("primary")) {
            role = "leader";
        } else if (p.path("sync_standby").asBoolean(false)) {
            role = "sync_standby";
        } else if (p.path("quorum_standby").asBoolean(false)) {
            role = "quorum_standby";
        }
        return new ClusterView.Member(name, role, p.path("state").asText("unknown"),
                p.hasNonNull("timeline") ? Optional.of(p.get("timeline").asLong()) : Optional.empty(), Optional.empty(),
                p.path("tags").path("replicatefrom").isTextual() ? Optional.of(p.path("tags").path("replicatefrom").asText()) : Optional.empty());
    }
}
