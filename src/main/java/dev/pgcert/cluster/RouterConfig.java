package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders haproxy.cfg: a read-write port and a read-only port, each routed by a Patroni REST check
 * (as in Patroni's own HAProxy template) or pinned to one node when the topology says so; or, with
 * {@code router.template}, the user's own file with its placeholders filled ({@link #placeholders}).
 */
final class RouterConfig {
    static final int RW_PORT = 5000;
    static final int RO_PORT = 5001;
    static final int STATS_PORT = 7000;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]*)\\s*}}");
    private static final String RESOLVERS = """
            # Docker's embedded DNS: a restarted node may come back with another address.
            resolvers docker
                nameserver dns 127.0.0.11:53
                hold valid 1s
            """;

    private RouterConfig() {}

    static String render(Topology topology) {
        Topology.Router r = topology.router();
        if (r.template().isPresent()) {
            return fill(r.template().get().text(), placeholders(topology));
        }
        Topology.RouterTimeouts t = r.timeouts();
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n    maxconn 2000\n").append(RESOLVERS).append("""
                defaults
                    mode tcp
                    log stdout format raw local0
                    timeout connect %s
                    timeout client %s
                    timeout server %s
                    timeout check %s
                listen stats
                    mode http
                    bind *:%d
                    stats enable
                    stats uri /
                """.formatted(ms(t.connect()), ms(t.client()), ms(t.server()), ms(t.check()), STATS_PORT));
        // A standby cluster's members are servers too (a router spanning both sites): its standby leader
        // answers /primary with 503 until it is promoted, then HAProxy sends the writes there.
        List<Topology.Node> servers = new java.util.ArrayList<>(topology.nodes());
        topology.standbyCluster().ifPresent(s -> servers.addAll(s.nodes()));
        cfg.append(listen("read_write", RW_PORT, r.readWrite(), r, servers, false));
        cfg.append(listen("read_only", RO_PORT, r.readOnly(), r, servers, true));
        return cfg.toString();
    }

    /**
     * What a {@code router.template} gets (the topology reader refuses any other {{name}}):
     * ports, the resolvers section, one server line per node, each port's check lines, and the timeouts.
     */
    static Map<String, String> placeholders(Topology topology) {
        Topology.Router r = topology.router();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cluster", topology.name());
        p.put("read_write_port", Integer.toString(RW_PORT));
        p.put("read_only_port", Integer.toString(RO_PORT));
        p.put("stats_port", Integer.toString(STATS_PORT));
        p.put("pg_port", Integer.toString(PatroniConfig.PG_PORT));
        p.put("rest_port", Integer.toString(PatroniConfig.REST_PORT));
        p.put("resolvers", RESOLVERS.strip());
        p.put("servers", servers(topology.nodes()).stripTrailing());
        p.put("read_write_check", checkLines(r.readWrite(), r, false).stripTrailing());
        p.put("read_only_check", checkLines(r.readOnly(), r, true).stripTrailing());
        p.put("timeout_connect", ms(r.timeouts().connect()));
        p.put("timeout_client", ms(r.timeouts().client()));
        p.put("timeout_server", ms(r.timeouts().server()));
        p.put("timeout_check", ms(r.timeouts().check()));
        return p;
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("router template placeholder {{" + m.group(1) + "}} was not validated");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
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
        s.append(checkLines(check, r, balance));
        s.append(servers(nodes));
        return s.toString();
    }

    /** A port's health check: Patroni's endpoint, and inter/fall/rise/on-marked-down (the port's own, else the router's). */
    private static String checkLines(Topology.RouteCheck check, Topology.Router r, boolean balance) {
        if (check.fixedNode().isPresent()) {
            return "";
        }
        String path = check.patroniEndpoint().orElse(balance ? "/replica" : "/primary")
                + check.maxLagBytes().map(lag -> "?lag=" + lag).orElse("");
        return "    option httpchk GET " + path + "\n"
                + "    http-check expect status 200\n"
                + "    default-server inter " + r.checkIntervalOf(check).toMillis() + "ms fall " + r.fallOf(check)
                + " rise " + r.riseOf(check)
                + (r.shutdownSessionsOf(check) ? " on-marked-down shutdown-sessions" : "")
                + " resolvers docker init-addr libc,none\n";
    }

    private static String servers(List<Topology.Node> nodes) {
        StringBuilder s = new StringBuilder();
        for (Topology.Node node : nodes) {
            s.append("    server ").append(node.name()).append(' ').append(node.name()).append(':').append(PatroniConfig.PG_PORT)
                    .append(" check port ").append(PatroniConfig.REST_PORT).append('\n');
        }
        return s.toString();
    }

    private static String ms(Duration d) {
        return d.toMillis() + "ms";
    }
}
