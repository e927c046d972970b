package dev.pgcert.topology;

import dev.pgcert.topology.Topology.RouteCheck;
import dev.pgcert.topology.Topology.Router;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code router:} section (HAProxy). Defaults are those of Patroni's HAProxy template:
 * {@code inter 3s fall 3 rise 2}, the read-write port checking {@code /primary} and the read-only port
 * checking {@code /replica}.
 */
final class RouterSection {

    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(3);
    static final int DEFAULT_FALL = 3;
    static final int DEFAULT_RISE = 2;

    /** The endpoints that take Patroni's {@code ?lag=} limit. */
    static final List<String> LAG_ENDPOINTS = List.of("/replica", "/asynchronous", "/async");

    private RouterSection() {}

    static Router defaults() {
        return new Router(RouteCheck.endpoint("/primary"), RouteCheck.endpoint("/replica"),
                DEFAULT_CHECK_INTERVAL, DEFAULT_FALL, DEFAULT_RISE);
    }

    static Router read(YamlMap root, NodesSection nodes, Stack stack) {
        Optional<YamlMap> yaml = root.map("router");
        if (yaml.isEmpty()) {
            return defaults();
        }
        YamlMap m = yaml.get();
        m.allowOnly("check_interval", "fall", "rise", "read_write", "read_only");
        return new Router(
                m.map("read_write").map(r -> route(r, nodes, stack)).orElse(RouteCheck.endpoint("/primary")),
                m.map("read_only").map(r -> route(r, nodes, stack)).orElse(RouteCheck.endpoint("/replica")),
                m.duration("check_interval", Duration.ofMillis(100)).orElse(DEFAULT_CHECK_INTERVAL),
                m.integer("fall", 1, 100).orElse(DEFAULT_FALL),
                m.integer("rise", 1, 100).orElse(DEFAULT_RISE));
    }

    private static RouteCheck route(YamlMap r, NodesSection nodes, Stack stack) {
        r.allowOnly("check", "node", "max_lag");
        if (r.has("check") == r.has("node")) {
            r.error(r.has("check")
                    ? "give either check (a Patroni endpoint) or node (pin to one node), not both"
                    : "needs check (a Patroni endpoint such as /primary) or node (pin to one node)");
        }
        Optional<String> check = r.get("check").flatMap(at -> at.asString().filter(path -> {
            if (PatroniRules.QUORUM_ENDPOINTS.contains(path) && !PatroniRules.hasQuorumCommit(stack)) {
                at.error(path + " exists from Patroni 4.0 (quorum commit); " + PatroniRules.patroniOf(stack)
                        + (path.equals("/quorum") ? " always answers it with 503" : " treats it as /read-only"));
                return false;
            }
            return true;
        })).flatMap(path -> r.oneOf("check", PatroniRules.endpoints(stack)));
        Optional<String> node = r.get("node").flatMap(n -> n.asString().filter(name -> nodes.requireNode(n, name)));
        Optional<Long> maxLag = r.size("max_lag", 0);
        r.get("max_lag").ifPresent(at -> checkMaxLagApplies(at, r, check));
        return new RouteCheck(check, node, maxLag);
    }

    private static void checkMaxLagApplies(YamlNode at, YamlMap r, Optional<String> check) {
        if (r.has("node") && !r.has("check")) {
            at.error("a pinned route has no health check, so max_lag cannot apply");
        } else if (check.isPresent() && !LAG_ENDPOINTS.contains(check.get())) {
            at.error("Patroni takes a lag limit only on " + String.join(", ", LAG_ENDPOINTS) + ", not " + check.get());
        }
    }
}
