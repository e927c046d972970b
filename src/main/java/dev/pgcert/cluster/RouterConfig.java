package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;

import java.util.List;

/**
 * Renders haproxy.cfg: a read-write port and a read-only port, each routed by a Patroni REST check
 * (as in Patroni's own HAProxy template) or pinned to one node when the topology says so.
 */
final class RouterConfig {
    static final int RW_PORT = 5000;
    static final int RO_PORT = 5001;
    static final int STATS_PORT = 7000;
    /** HAProxy's {@code timeout check}: the longest a health check may take. */
    static final java.time.Duration TIMEOUT_CHECK = java.time.Duration.ofSeconds(2);

    private RouterConfig() {}

    static String render(Topology topology) {
        Topology.Router r = topology.router();
        StringBuilder cfg = new StringBuilder();
        cfg.append("""
                global
                    maxconn 2000
                # Docker's embedded DNS: a restarted node may come back with another address.
                resolvers docker
                    nameserver dns 127.0.0.11:53
                    hold valid 1s
                defaults
                    mode tcp
                    log stdout format raw local0
                    timeout connect 2s
                    timeout client 30m
                    timeout server 30m
                    timeout check %ds
                listen stats
                    mode http
                    bind *:%d
                    stats enable
                    stats uri /
                """.formatted(TIMEOUT_CHECK.toSeconds(), STATS_PORT));
        cfg.append(listen("read_write", RW_PORT, r.readWrite(), r, topology.nodes(), false));
        cfg.append(listen("read_only", RO_PORT, r.readOnly(), r, topology.nodes(), true));
        return cfg.toString();
    }

    private static String listen(String name, int port, Topology.RouteCheck check, Topology.Router r,
                                 List<Topology.Node> nodes, boolean balance) {
        StringBuilder s = new StringBuilder("listen ").append(name).append('\n');
        s.append("    bind *:").append(port).append('\n');
        if (balance) {
            s.append("    balance roundrobin\n");
        }
        if (check.fixedNode().isPresent()) {
            s.append("    server ").append(check.fixedNode().get()).append(' ').append(check.fixedNode().get())
                    .append(':').append(PatroniConfig.PG_PORT)
                    .append(" resolvers docker init-addr libc,none\n");
            return s.toString();
        }
        String path = check.patroniEndpoint().orElse(balance ? "/replica" : "/primary")
                + check.maxLagBytes().map(lag -> "?lag=" + lag).orElse("");
        s.append("    option httpchk GET ").append(path).append('\n');
        s.append("    http-check expect status 200\n");
        s.append("    default-server inter ").append(r.checkInterval().toMillis()).append("ms fall ").append(r.fall())
                .append(" rise ").append(r.rise())
                .append(" on-marked-down shutdown-sessions resolvers docker init-addr libc,none\n");
        for (Topology.Node node : nodes) {
            s.append("    server ").append(node.name()).append(' ').append(node.name()).append(':').append(PatroniConfig.PG_PORT)
                    .append(" check port ").append(PatroniConfig.REST_PORT).append('\n');
        }
        return s.toString();
    }
}
