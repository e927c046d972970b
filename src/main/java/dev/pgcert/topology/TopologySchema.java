package dev.pgcert.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgcert.json.Json;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of topology files, generated from the definitions the validator
 * itself reads: the setting catalogs ({@link PatroniCatalog}, {@link PgBouncerCatalog},
 * {@link RouterCatalog}), the sections' key lists and the known stacks. Keys that exist only from a
 * component version are refused, per stack, by {@code if stack ... then} rules; harness-owned keys are
 * refused with their reason as the description. Published as {@code docs/schema/topology.schema.json}
 * for editor completion; {@code TopologySchemaTest} regenerates it and fails if the committed file
 * differs. The validator stays the judge: rules across fields (timing, replication graph, node names)
 * are not in the schema.
 */
public final class TopologySchema {

    /** Where the generated schema is published, relative to the project. */
    public static final String FILE = "docs/schema/topology.schema.json";

    private static final String SIZE_PATTERN = "^\\s*\\d+(\\.\\d+)?\\s*([bB]|[kKmMgGtT][iI]?[bB])?\\s*$";
    private static final String DURATION_PATTERN = "^\\s*(0|\\d+(\\.\\d+)?\\s*([mM][sS]|[sS]|[mM]|[mM][iI][nN]|[hH]))\\s*$";

    private TopologySchema() {}

    /** The schema as pretty-printed JSON, with a final newline. */
    public static String generate() {
        try {
            // Keys sorted: the same schema gives the same file on every run (Map.of has no stable order).
            return Json.MAPPER.writer(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter())
                    .with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .with(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(schema()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> schema() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "pgcert topology");
        root.put("description", "A Patroni cluster design for pgcert (docs/topology-format.md). Generated from the "
                + "validator's own definitions by dev.pgcert.topology.TopologySchema; do not edit by hand.");
        root.put("type", "object");
        root.put("required", List.of("name", "nodes"));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", described(Map.of("type", "string", "pattern", anchored(TopologyReader.CLUSTER_NAME.pattern())),
                "the cluster's name: Patroni's scope, part of container names"));
        props.put("stack", described(Map.of("enum", Stacks.names()), "the stack the cluster runs on (default "
                + Stacks.defaultStack().name() + "): " + String.join("; ", Stacks.all().stream().map(Stack::describe).toList())));
        props.put("postgresql", postgresql());
        props.put("patroni", section(PatroniCatalog.DCS, "Patroni's dynamic configuration and node-local settings"));
        props.put("dcs", closed(Map.of("members", described(Map.of("enum", List.of(1, 3)), "etcd members: 1 or 3")),
                TopologyReader.DCS_KEYS, "the etcd DCS"));
        props.put("nodes", described(Map.of("type", "array", "minItems", 1, "items", node()),
                "the PostgreSQL + Patroni nodes; the first that may lead bootstraps the cluster"));
        props.put("pgbouncer", section(PgBouncerCatalog.SETTINGS, "PgBouncer in front of the router: any [pgbouncer] setting"));
        props.put("router", section(RouterCatalog.ROUTER, "HAProxy with a read-write (5000) and a read-only (5001) port"));
        props.put("toxiproxy", described(Map.of("type", "array", "items", toxiproxyLink()),
                "links that pass through Toxiproxy, so link faults can act on them"));
        props.put("images", images());
        props.put("startup_timeout", described(ref("duration"), "how long bootstrap may take; default 120s"));
        props.put("connect", connect());
        props.put("standby_cluster", standbyCluster());
        props.put("backup", backup());
        for (String key : TopologyReader.KEYS) {
            props.putIfAbsent(key, Map.of("description", "see docs/topology-format.md"));
        }
        props.keySet().retainAll(TopologyReader.KEYS);
        root.put("properties", props);
        root.put("additionalProperties", false);
        root.put("allOf", perStack());
        root.put("$defs", defs());
        return root;
    }

    private static Map<String, Object> defs() {
        Map<String, Object> defs = new LinkedHashMap<>();
        defs.put("size", described(Map.of("anyOf", List.of(Map.of("type", "integer", "minimum", 0),
                Map.of("type", "string", "pattern", SIZE_PATTERN))), "bytes: 16MB, 1GiB, or a number of bytes"));
        defs.put("duration", described(Map.of("anyOf", List.of(Map.of("const", 0),
                Map.of("type", "string", "pattern", DURATION_PATTERN))), "a duration: 500ms, 10s, 2m, 1h (a unit is required)"));
        defs.put("scalar", Map.of("type", List.of("string", "number", "boolean")));
        defs.put("route", section(RouterCatalog.ROUTE, "a port's route: check (a Patroni endpoint) or node (pinned)"));
        return defs;
    }

    /** A section from its catalog: each user key typed, each owned key refused with its reason. */
    private static Map<String, Object> section(SettingCatalog catalog, String description) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Setting s : catalog.settings()) {
            props.put(s.key(), property(catalog, s));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", description);
        m.put("type", "object");
        m.put("properties", props);
        m.put("additionalProperties", false);
        return m;
    }

    private static Map<String, Object> property(SettingCatalog catalog, Setting s) {
        if (s.isOwned()) {
            return refused(s.owner());
        }
        Map<String, Object> type = switch (s.kind()) {
            case INTEGER -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("type", "integer");
                t.put("minimum", s.min());
                t.put("maximum", s.max());
                yield t;
            }
            case SIZE -> ref("size");
            case SIZE_OR_MINUS_ONE -> Map.of("anyOf", List.of(Map.of("const", -1), ref("size")));
            case BOOLEAN -> Map.of("type", "boolean");
            case DURATION -> ref("duration");
            case TEXT -> ref("scalar");
            case ENUM -> Map.of("enum", s.values());
            case TEXT_LIST -> Map.of("type", "array", "items", ref("scalar"));
            case TEXT_MAP -> Map.of("type", "object", "additionalProperties", ref("scalar"));
            case CUSTOM -> s.schema();
        };
        String doc = s.doc() + s.sinceVersion().map(v -> " (" + catalog.component() + " " + v + "+)").orElse("");
        return described(type, doc);
    }

    private static Map<String, Object> postgresql() {
        Map<String, Object> props = new LinkedHashMap<>();
        PatroniCatalog.OWNED_PARAMETERS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> props.put(e.getKey(), refused("the harness sets " + e.getKey() + " itself: " + e.getValue())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", "PostgreSQL parameters (any GUC, value as written), into bootstrap.dcs.postgresql.parameters");
        m.put("type", "object");
        m.put("propertyNames", Map.of("pattern", anchored(TopologyReader.PARAMETER_NAME.pattern())));
        m.put("properties", props);
        m.put("additionalProperties", ref("scalar"));
        return m;
    }

    private static Map<String, Object> node() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", described(Map.of("type", "string", "pattern", anchored(NodesSection.NODE_NAME.pattern())),
                "host name and Patroni member name"));
        props.put("tags", section(PatroniCatalog.TAGS, "Patroni tags of this node"));
        props.put("data_volume", described(ref("size"), "size limit of the data directory, >= 16MB"));
        props.put("wal_volume", described(ref("size"), "a separate, size-limited pg_wal volume, >= 16MB"));
        Map<String, Object> m = closed(props, NodesSection.KEYS, "a node");
        m.put("required", List.of("name"));
        return m;
    }

    private static Map<String, Object> toxiproxyLink() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("link", Map.of("enum", Arrays.stream(LinkKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList()));
        props.put("node", Map.of("type", "string"));
        Map<String, Object> m = closed(props, ToxiproxySection.KEYS, "a link through Toxiproxy");
        m.put("required", List.of("link"));
        return m;
    }

    /** {@code connect:}: a path name, or a mapping with the path and its own setting. */
    private static Map<String, Object> connect() {
        Map<String, Object> paths = Map.of("enum", Connect.Path.keys());
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("path", described(paths, "the connection path"));
        props.put("leader_check_interval", described(ref("duration"), "path pgbouncer: how often the leader follower asks Patroni; default 1s"));
        props.put("host_recheck", described(ref("duration"), "path jdbc-multihost: PgJDBC's hostRecheckSeconds; default 10s"));
        Map<String, Object> mapping = new LinkedHashMap<>(closed(props, List.of("path", "leader_check_interval", "host_recheck"),
                "a connection path and its setting"));
        mapping.put("required", List.of("path"));
        return described(Map.of("oneOf", List.of(paths, mapping)),
                "how the application connects: pgbouncer-haproxy, haproxy, pgbouncer (alone) or jdbc-multihost");
    }

    /** {@code standby_cluster:}: a second Patroni cluster following this one. */
    private static Map<String, Object> standbyCluster() {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("latency", described(ref("duration"), "a latency toxic each way on the standby leader's link"));
        link.put("jitter", described(ref("duration"), "its jitter"));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", described(Map.of("type", "string", "pattern", anchored(TopologyReader.CLUSTER_NAME.pattern())),
                "its Patroni scope; default <name>-dr"));
        props.put("nodes", described(Map.of("type", "array", "minItems", 1, "items", node()),
                "its members; the first that may lead is the standby leader"));
        props.put("link", closed(link, List.of("latency", "jitter"), "the standby leader's link through Toxiproxy"));
        props.put("recovery_min_apply_delay", described(ref("duration"), "Patroni's standby_cluster.recovery_min_apply_delay"));
        Map<String, Object> m = new LinkedHashMap<>(closed(props, List.of("name", "nodes", "link", "recovery_min_apply_delay"),
                "a standby cluster following this one (docs/topology-format.md)"));
        m.put("required", List.of("nodes"));
        return m;
    }

    /** The backup: section (docs/backup.md). */
    private static Map<String, Object> backup() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tool", Map.of("enum", List.of("pgbackrest")));
        props.put("archive_timeout", described(ref("duration"), "PostgreSQL's archive_timeout, whole seconds; 0s is off; default 60s"));
        props.put("archive_command", described(Map.of("type", "string", "pattern", "%p"),
                "replaces pgBackRest's archive-push (to describe a flawed design)"));
        props.put("retention", closed(new LinkedHashMap<>(Map.of(
                "full", Map.of("type", "integer", "minimum", 1), "diff", Map.of("type", "integer", "minimum", 1))),
                List.of("full", "diff"), "backups kept: repo-retention-full (default 2) and -diff"));
        props.put("compress_type", Map.of("enum", Arrays.stream(Backup.Compress.values()).map(Backup.Compress::option).toList()));
        props.put("compress_level", Map.of("type", "integer", "minimum", 0, "maximum", 22));
        props.put("repositories", described(Map.of("enum", List.of(1, 2)), "1, or 2 for a second repository"));
        return closed(props, BackupSection.KEYS, "continuous archiving and backups with pgBackRest (docs/backup.md)");
    }

    private static Map<String, Object> images() {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String key : TopologyReader.IMAGES_KEYS) {
            props.put(key, key.equals("postgres_major") ? Map.of("type", List.of("string", "integer")) : Map.of("type", "string"));
        }
        return closed(props, TopologyReader.IMAGES_KEYS, "image names and versions");
    }

    /** Per stack: the keys its component versions lack are refused, and quorum needs Patroni 4. */
    private static List<Object> perStack() {
        List<Object> rules = new ArrayList<>();
        for (Stack stack : Stacks.all()) {
            Map<String, Object> then = new LinkedHashMap<>();
            Map<String, Object> thenProps = new LinkedHashMap<>();
            Map<String, Object> patroni = missing(PatroniCatalog.DCS, stack);
            if (!PatroniRules.hasQuorumCommit(stack)) {
                patroni.put("synchronous_mode", described(Map.of("not", Map.of("const", "quorum")),
                        "quorum commit needs Patroni 4.0+; " + PatroniRules.patroniOf(stack) + " would run asynchronously"));
            }
            if (!patroni.isEmpty()) {
                thenProps.put("patroni", Map.of("properties", patroni));
            }
            Map<String, Object> tags = missing(PatroniCatalog.TAGS, stack);
            if (!tags.isEmpty()) {
                thenProps.put("nodes", Map.of("items", Map.of("properties", Map.of("tags", Map.of("properties", tags)))));
            }
            Map<String, Object> pgbouncer = missing(PgBouncerCatalog.SETTINGS, stack);
            if (!pgbouncer.isEmpty()) {
                thenProps.put("pgbouncer", Map.of("properties", pgbouncer));
            }
            if (thenProps.isEmpty()) {
                continue;
            }
            then.put("properties", thenProps);
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("properties", Map.of("stack", Map.of("const", stack.name())));
            if (!stack.equals(Stacks.defaultStack())) {
                condition.put("required", List.of("stack"));
            }
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("description", "stack " + stack.describe());
            rule.put("if", condition);
            rule.put("then", then);
            rules.add(rule);
        }
        return rules;
    }

    private static Map<String, Object> missing(SettingCatalog catalog, Stack stack) {
        Map<String, Object> out = new LinkedHashMap<>();
        String version = catalog.versionOf().apply(stack);
        for (Setting s : catalog.settings()) {
            if (!s.isOwned() && !s.existsIn(version)) {
                out.put(s.key(), refused(s.key() + " exists from " + catalog.component() + " " + s.since() + "; "
                        + catalog.componentOf(stack) + " does not have it"));
            }
        }
        return out;
    }

    private static Map<String, Object> closed(Map<String, Object> props, List<String> keys, String description) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        keys.forEach(k -> ordered.put(k, props.getOrDefault(k, Map.of())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", description);
        m.put("type", "object");
        m.put("properties", ordered);
        m.put("additionalProperties", false);
        return m;
    }

    private static Map<String, Object> refused(String reason) {
        return described(Map.of("not", Map.of()), reason);
    }

    private static Map<String, Object> described(Map<String, Object> schema, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", description);
        m.putAll(schema);
        return m;
    }

    private static Map<String, Object> ref(String def) {
        return Map.of("$ref", "#/$defs/" + def);
    }

    private static String anchored(String regex) {
        return "^(" + regex + ")$";
    }
}
