package dev.pgcert.topology;

import dev.pgcert.topology.Topology.RouteCheck;
import dev.pgcert.topology.Topology.Router;
import dev.pgcert.topology.Topology.RouterTemplate;
import dev.pgcert.topology.Topology.RouterTimeouts;
import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code router:} section (HAProxy), keys from {@link RouterCatalog}. Defaults are those of
 * Patroni's HAProxy template: {@code inter 3s fall 3 rise 2 on-marked-down shutdown-sessions}, the
 * read-write port checking {@code /primary} and the read-only port checking {@code /replica}.
 */
final class RouterSection {

    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(3);
    static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);
    static final int DEFAULT_FALL = 3;
    static final int DEFAULT_RISE = 2;

    /** The endpoints that take Patroni's {@code ?lag=} limit. */
    static final List<String> LAG_ENDPOINTS = List.of("/replica", "/asynchronous", "/async");

    /**
     * What a {@code router.template} file gets: {@code {{name}}} is replaced by the value. The three
     * ports must appear, because the harness's clients, PgBouncer and observers connect to them.
     */
    static final List<String> TEMPLATE_PLACEHOLDERS = List.of("cluster", "read_write_port", "read_only_port",
            "stats_port", "pg_port", "rest_port", "resolvers", "servers", "read_write_check", "read_only_check",
            "timeout_connect", "timeout_client", "timeout_server", "timeout_check");
    static final List<String> TEMPLATE_REQUIRED = List.of("read_write_port", "read_only_port", "stats_port");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]*)\\s*}}");

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
        Map<String, Object> v = RouterCatalog.ROUTER.read(m, stack);
        RouterTimeouts d = RouterTimeouts.DEFAULTS;
        return new Router(
                m.map("read_write").map(r -> route(r, nodes, stack)).orElse(RouteCheck.endpoint("/primary")),
                m.map("read_only").map(r -> route(r, nodes, stack)).orElse(RouteCheck.endpoint("/replica")),
                interval(m, v).orElse(DEFAULT_CHECK_INTERVAL),
                Optional.ofNullable((Integer) v.get("fall")).orElse(DEFAULT_FALL),
                Optional.ofNullable((Integer) v.get("rise")).orElse(DEFAULT_RISE),
                Optional.ofNullable((String) v.get("on_marked_down")).map("shutdown-sessions"::equals).orElse(true),
                new RouterTimeouts(
                        positive(m, v, "timeout_connect").orElse(d.connect()),
                        positive(m, v, "timeout_client").orElse(d.client()),
                        positive(m, v, "timeout_server").orElse(d.server()),
                        positive(m, v, "timeout_check").orElse(d.check())),
                m.get("template").flatMap(at -> template(at, root.location().source())));
    }

    private static Optional<Duration> interval(YamlMap m, Map<String, Object> v) {
        Optional<Duration> inter = Optional.ofNullable((Duration) v.get("check_interval"));
        if (inter.filter(i -> i.compareTo(MIN_CHECK_INTERVAL) < 0).isPresent()) {
            m.get("check_interval").orElseThrow().error("must be at least 100ms, got '"
                    + m.string("check_interval").orElse("") + "'");
            return Optional.empty();
        }
        return inter;
    }

    private static Optional<Duration> positive(YamlMap m, Map<String, Object> v, String key) {
        Optional<Duration> t = Optional.ofNullable((Duration) v.get(key));
        if (t.filter(Duration::isZero).isPresent()) {
            m.get(key).orElseThrow().error("must be more than 0 (HAProxy would wait forever)");
            return Optional.empty();
        }
        return t;
    }

    private static RouteCheck route(YamlMap r, NodesSection nodes, Stack stack) {
        Map<String, Object> v = RouterCatalog.ROUTE.read(r, stack);
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
        Optional<Long> maxLag = Optional.ofNullable((Long) v.get("max_lag"));
        r.get("max_lag").ifPresent(at -> checkMaxLagApplies(at, r, check));
        if (r.has("node") && !r.has("check")) {
            for (String key : List.of("check_interval", "fall", "rise", "on_marked_down")) {
                r.get(key).ifPresent(at -> at.error("a pinned route has no health check, so " + key + " cannot apply"));
            }
        }
        return new RouteCheck(check, node, maxLag, interval(r, v),
                Optional.ofNullable((Integer) v.get("fall")), Optional.ofNullable((Integer) v.get("rise")),
                Optional.ofNullable((String) v.get("on_marked_down")).map("shutdown-sessions"::equals));
    }

    private static void checkMaxLagApplies(YamlNode at, YamlMap r, Optional<String> check) {
        if (r.has("node") && !r.has("check")) {
            at.error("a pinned route has no health check, so max_lag cannot apply");
        } else if (check.isPresent() && !LAG_ENDPOINTS.contains(check.get())) {
            at.error("Patroni takes a lag limit only on " + String.join(", ", LAG_ENDPOINTS) + ", not " + check.get());
        }
    }

    /**
     * {@code router.template}: a haproxy.cfg of the user's own, read relative to the topology file.
     * Each {@code {{placeholder}}} must be one of {@link #TEMPLATE_PLACEHOLDERS} (an unknown one is an
     * error at its line and column in the template), and the three ports must appear.
     */
    private static Optional<RouterTemplate> template(YamlNode at, String source) {
        Optional<String> name = at.asString();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(name.get());
        if (!file.isAbsolute()) {
            Path parent = Path.of(source).getParent();
            file = parent == null ? file : parent.resolve(file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            at.error("cannot read the template " + file + " (a path relative to the topology file): "
                    + e.getClass().getSimpleName());
            return Optional.empty();
        }
        int before = at.problems().errorCount();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = PLACEHOLDER.matcher(lines[i]);
            while (matcher.find()) {
                String placeholder = matcher.group(1);
                if (!TEMPLATE_PLACEHOLDERS.contains(placeholder)) {
                    at.problems().error(new Location(file.toString(), i + 1, matcher.start() + 1), "router.template",
                            "unknown placeholder {{" + placeholder + "}}"
                                    + Suggestions.didYouMean(placeholder, TEMPLATE_PLACEHOLDERS)
                                    + " (known: " + String.join(", ", TEMPLATE_PLACEHOLDERS) + ")");
                }
            }
        }
        for (String required : TEMPLATE_REQUIRED) {
            if (!Pattern.compile("\\{\\{\\s*" + required + "\\s*}}").matcher(text).find()) {
                at.error("the template must bind {{" + required + "}}: the harness's clients, PgBouncer and "
                        + "observers connect to it");
            }
        }
        boolean namesResolver = text.contains("{{read_write_check}}") || text.contains("{{read_only_check}}");
        if (namesResolver && !text.contains("{{resolvers}}")) {
            at.error("a template that uses {{read_write_check}} or {{read_only_check}} must also hold "
                    + "{{resolvers}}: their default-server lines name Docker's resolver, so a restarted node is "
                    + "found at its new address");
        }
        return at.problems().errorCount() == before ? Optional.of(new RouterTemplate(file.toString(), text))
                : Optional.empty();
    }
}
