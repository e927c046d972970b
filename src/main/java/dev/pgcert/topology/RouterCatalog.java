package dev.pgcert.topology;

import static dev.pgcert.topology.Setting.Kind.DURATION;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code router:} (HAProxy) settings. The check parameters are HAProxy's server options
 * {@code inter}, {@code fall}, {@code rise} and {@code on-marked-down shutdown-sessions}, and the
 * timeouts its {@code timeout connect|client|server|check} (HAProxy's configuration.txt, sections 5.2
 * and 4.2, the same in 2.6 (bookworm) and 3.0 (trixie)); defaults are those of Patroni's HAProxy
 * template ({@code inter 3s fall 3 rise 2 on-marked-down shutdown-sessions}).
 */
final class RouterCatalog {

    static final List<String> ON_MARKED_DOWN = List.of("shutdown-sessions", "none");

    private static final List<Setting> CHECK = List.of(
            Setting.of("check_interval", DURATION, "HAProxy's inter: time between health checks, >= 100ms; default 3s"),
            Setting.integer("fall", 1, 100, "failed checks before a server is marked down; default 3"),
            Setting.integer("rise", 1, 100, "good checks before a server is marked up; default 2"),
            Setting.oneOf("on_marked_down", ON_MARKED_DOWN,
                    "shutdown-sessions (default): cut the sessions of a server marked down; none: leave them"));

    static final SettingCatalog ROUTER = new SettingCatalog("HAProxy", Stack::haproxy, concat(CHECK, List.of(
            Setting.of("timeout_connect", DURATION, "HAProxy's timeout connect; default 2s"),
            Setting.of("timeout_client", DURATION, "HAProxy's timeout client; default 30m"),
            Setting.of("timeout_server", DURATION, "HAProxy's timeout server; default 30m"),
            Setting.of("timeout_check", DURATION, "HAProxy's timeout check: the longest a health check may take; default 2s"),
            Setting.custom("template", Map.of("type", "string"),
                    "a haproxy.cfg template of your own (path relative to the topology file), see docs"),
            Setting.custom("read_write", Map.of("$ref", "#/$defs/route"), "the read-write port (5000)"),
            Setting.custom("read_only", Map.of("$ref", "#/$defs/route"), "the read-only port (5001)"))));

    static final SettingCatalog ROUTE = new SettingCatalog("HAProxy", Stack::haproxy, concat(List.of(
            Setting.custom("check", Map.of("type", "string", "pattern", "^/"),
                    "a Patroni REST endpoint: traffic goes to the nodes that answer 200"),
            Setting.custom("node", Map.of("type", "string"), "pin the port to this node, without a health check"),
            Setting.of("max_lag", Setting.Kind.SIZE, "Patroni's ?lag= limit on /replica, /async, /asynchronous")), CHECK));

    private RouterCatalog() {}

    private static List<Setting> concat(List<Setting> a, List<Setting> b) {
        Map<String, Setting> all = new LinkedHashMap<>();
        a.forEach(s -> all.put(s.key(), s));
        b.forEach(s -> all.put(s.key(), s));
        return List.copyOf(all.values());
    }
}
