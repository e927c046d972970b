package dev.pgcert.check;

/**
 * The stages of a failover, in the order they should happen, each taken from an event recorded on
 * the history (never inferred). Metric names under {@code failover_time.stages.*}.
 */
public enum FailoverStage {
    /** The fault's injection returned ({@code docker kill} takes most of a second). */
    FAULT_RETURNED("fault_returned", "fault injection returned"),
    /** The old leader's key was gone from etcd: expired or released. */
    LEADER_KEY_GONE("leader_key_gone", "old leader key gone from etcd"),
    /** Another node holds the leader key. */
    LEADER_KEY_ACQUIRED("leader_key_acquired", "new leader key in etcd"),
    /** The new leader is out of recovery, on a new timeline. */
    PROMOTED("promoted", "new leader promoted"),
    /** HAProxy marked the new leader UP on the read-write port. */
    ROUTER_UP("router_up", "router marked it up"),
    /** PgBouncer opened a server connection after the router routed to the new leader. */
    POOLER_CONNECTED("pooler_connected", "pooler connected to it"),
    /** The fresh-connection probe wrote on the new leader. */
    PROBE_WROTE("probe_wrote", "probe wrote"),
    /** The pooled client wrote on the new leader. */
    CLIENT_WROTE("client_wrote", "pooled client wrote");

    private final String metric;
    private final String label;

    FailoverStage(String metric, String label) {
        this.metric = metric;
        this.label = label;
    }

    public String metric() {
        return metric;
    }

    public String label() {
        return label;
    }
}
