package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Dcs;
import dev.pgcert.topology.Topology.Images;
import dev.pgcert.topology.Topology.Node;
import dev.pgcert.topology.Topology.PgBouncer;
import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a topology document into a {@link Topology}, recording every problem in the document's
 * {@link dev.pgcert.yaml.Problems}. The result is only meaningful when no error was recorded.
 */
final class TopologyReader {

    static final List<String> KEYS = List.of("name", "stack", "postgresql", "patroni", "dcs", "nodes", "pgbouncer",
            "router", "toxiproxy", "images", "startup_timeout", "connect", "standby_cluster", "backup");
    static final List<String> IMAGES_KEYS = List.of("registry", "base", "postgres_major", "patroni_version",
            "pgbouncer_version", "haproxy_version", "etcd_version", "toxiproxy");
    static final List<String> DCS_KEYS = List.of("members");
    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);

    // The name is Patroni's scope: it appears in DCS keys, container names and cluster_name.
    static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final Pattern PARAMETER_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)?");
    private static final int POSTGRES_DEFAULT_MAX_CONNECTIONS = 100;
    private static final int POSTGRES_SUPERUSER_RESERVED = 3;

    private TopologyReader() {}

    /** Empty if the document is not a mapping; otherwise a topology built from what could be read. */
    static Optional<Topology> read(YamlDocument document) {
        return document.rootMap().map(root -> read(root, document.source()));
    }

    static Topology read(YamlMap root, String source) {
        root.allowOnly(KEYS.toArray(String[]::new));
        String name = root.requiredString("name").filter(n -> validClusterName(root, n)).orElse("");
        Map<String, String> postgresql = postgresql(root);
        Stack stack = stack(root);
        PatroniSection patroni = PatroniSection.read(root, stack);
        NodesSection nodes = NodesSection.read(root, stack);
        List<Node> nodeList = nodes.nodes();
        Optional<Node> bootstrap = Topology.bootstrapNodeOf(nodeList);
        patroni.checkSynchronousNodeCount(nodeList, bootstrap);
        return new Topology(
                name,
                source,
                postgresql,
                patroni.settings(),
                dcs(root),
                nodeList,
                pgbouncer(root, postgresql, stack),
                RouterSection.read(root, nodes, stack),
                ToxiproxySection.read(root, nodes, bootstrap),
                images(root, stack),
                root.duration("startup_timeout", Duration.ofSeconds(1)).orElse(DEFAULT_STARTUP_TIMEOUT),
                ConnectSection.read(root),
                StandbyClusterSection.read(root, nodes, name, stack),

                BackupSection.read(root, name.isEmpty() ? "pgcert" : name, postgresql));
    }

    private static boolean validClusterName(YamlMap root, String name) {
        if (CLUSTER_NAME.matcher(name).matches()) {
            return true;
        }
        root.get("name").orElseThrow().error("a topology name must be 1-40 lower-case letters, digits or '-' "
                + "(it is Patroni's scope and part of container names), got '" + name + "'");
        return false;
    }

    /** PostgreSQL parameters, each value kept as written ("on", "16MB", "0.9"). */
    private static Map<String, String> postgresql(YamlMap root) {
        Map<String, String> parameters = new LinkedHashMap<>();
        root.map("postgresql").ifPresent(m -> m.entries().forEach(entry -> {
            String key = entry.key();
            YamlNode value = entry.value();
            if (!PARAMETER_NAME.matcher(key).matches()) {
                m.problems().error(entry.keyLocation(), m.childPath(key),
                        "not a PostgreSQL parameter name (lower-case letters, digits, '_')");
                return;
            }
            Optional<String> owner = PatroniCatalog.ownedParameter(key);
            if (owner.isPresent()) {
                m.problems().error(entry.keyLocation(), m.childPath(key), "the harness sets " + key + " itself: "
                        + owner.get());
                return;
            }
            value.asString().ifPresent(text -> parameters.put(key, text));
        }));
        return parameters;
    }

    private static Dcs dcs(YamlMap root) {
        Optional<YamlMap> yaml = root.map("dcs");
        yaml.ifPresent(m -> m.allowOnly(DCS_KEYS.toArray(String[]::new)));
        int members = yaml.flatMap(m -> m.get("members")).flatMap(at -> at.asInt(1, 99).filter(n -> {
            if (n == 1 || n == 3) {
                return true;
            }
            at.error("must be 1 or 3, got " + n + " (one etcd, or a three-member quorum that survives one loss)");
            return false;
        })).orElse(1);
        return new Dcs(members);
    }

    /**
     * PgBouncer: every {@code [pgbouncer]} setting of the stack's PgBouncer version ({@link PgBouncerCatalog}).
     * PgBouncer's own defaults for omitted keys: session pooling, 20 per pool, 100 clients, 15s login retry.
     */
    private static Optional<PgBouncer> pgbouncer(YamlMap root, Map<String, String> postgresql, Stack stack) {
        return root.map("pgbouncer").map(m -> {
            Map<String, Object> v = PgBouncerCatalog.SETTINGS.read(m, stack);
            Map<String, Object> more = new LinkedHashMap<>(v);
            List.of("pool_mode", "default_pool_size", "max_client_conn", "server_login_retry").forEach(more::remove);
            PgBouncer bouncer = new PgBouncer(
                    Optional.ofNullable((String) v.get("pool_mode")).map(p -> PgBouncer.PoolMode.valueOf(
                            p.toUpperCase(java.util.Locale.ROOT))).orElse(PgBouncer.PoolMode.SESSION),
                    Optional.ofNullable((Integer) v.get("default_pool_size")).orElse(20),
                    Optional.ofNullable((Integer) v.get("max_client_conn")).orElse(100),
                    Optional.ofNullable((Duration) v.get("server_login_retry")).orElse(Duration.ofSeconds(15)),
                    more);
            m.get("default_pool_size").ifPresent(at -> checkPoolFitsServer(at, bouncer, postgresql));
            return bouncer;
        });
    }

    // One pool (user + database) larger than what PostgreSQL admits makes PgBouncer's logins fail under load.
    private static void checkPoolFitsServer(YamlNode at, PgBouncer bouncer, Map<String, String> postgresql) {
        int maxConnections = POSTGRES_DEFAULT_MAX_CONNECTIONS;
        try {
            maxConnections = Integer.parseInt(postgresql.getOrDefault("max_connections", "100").strip());
        } catch (NumberFormatException ignored) {
            return; // not a number: PostgreSQL will refuse it; nothing to compare
        }
        int usable = maxConnections - POSTGRES_SUPERUSER_RESERVED;
        if (bouncer.defaultPoolSize() > usable) {
            at.warning("default_pool_size " + bouncer.defaultPoolSize() + " exceeds the " + usable
                    + " connections PostgreSQL admits (max_connections " + maxConnections + " minus "
                    + POSTGRES_SUPERUSER_RESERVED + " reserved)");
        }
    }

    /**
     * The stack the cluster runs on: {@code -Dpgcert.stack} for the whole run, else the file's
     * {@code stack:}, else {@link Stacks#defaultStack()}. An unknown name is an error at its line (or
     * at the property) that lists the known stacks; the rest of the file is then judged on the default.
     */
    private static Stack stack(YamlMap root) {
        Optional<String> override = Stacks.override();
        Optional<YamlNode> field = root.get("stack");
        Optional<String> inFile = field.flatMap(YamlNode::asString);
        if (override.isPresent()) {
            Optional<Stack> chosen = Stacks.byName(override.get());
            if (chosen.isEmpty()) {
                root.problems().error(Location.wholeFile("-D" + Stacks.OVERRIDE_PROPERTY + "=" + override.get()),
                        "stack", unknownStack(override.get()));
            }
            // The file's own choice must still name a stack: it is what runs without the property.
            field.ifPresent(at -> inFile.filter(n -> Stacks.byName(n).isEmpty())
                    .ifPresent(n -> at.error(unknownStack(n))));
            return chosen.orElse(Stacks.defaultStack());
        }
        if (field.isEmpty() || inFile.isEmpty()) {
            return Stacks.defaultStack();
        }
        return Stacks.byName(inFile.get()).orElseGet(() -> {
            field.get().error(unknownStack(inFile.get()));
            return Stacks.defaultStack();
        });
    }

    private static String unknownStack(String name) {
        return "unknown stack '" + name + "'" + Suggestions.didYouMean(name, Stacks.names())
                + " (known stacks: " + Stacks.all().stream().map(s -> s.name() + " = PostgreSQL " + s.postgresMajor()
                        + " + Patroni " + s.patroni()).collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    private static Images images(YamlMap root, Stack stack) {
        Images d = Images.forStack(stack);
        return root.map("images").map(m -> {
            m.allowOnly(IMAGES_KEYS.toArray(String[]::new));
            Optional<String> major = m.get("postgres_major").flatMap(at -> at.asString().filter(v -> {
                if (v.matches("1[0-9]")) {
                    return true;
                }
                at.error("expected a PostgreSQL major version such as 15, got '" + v + "'");
                return false;
            }));
            return new Images(
                    stack,
                    m.string("registry"),
                    m.string("base").orElse(d.baseImage()),
                    major.orElse(d.postgresMajor()),
                    m.string("patroni_version"),
                    m.string("pgbouncer_version"),
                    m.string("haproxy_version"),
                    m.string("etcd_version"),
                    m.string("toxiproxy").orElse(d.toxiproxyImage()));
        }).orElse(d);
    }
}
