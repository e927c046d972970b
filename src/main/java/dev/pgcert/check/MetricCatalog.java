package dev.pgcert.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every metric the checkers publish, with its kind, so expectations are checked when a scenario is
 * loaded, not after a long run: a misspelt metric or a limit in the wrong unit is an error up front.
 * Metric values are in base units: seconds, bytes, fractions 0..1, counts.
 */
public final class MetricCatalog {
    private MetricCatalog() {}

    public enum Kind {
        TIME, BYTES, FRACTION, COUNT, TEXT, LIST,
        /** A map of further metrics; the kind of a leaf follows its name (see {@link #kindOf}). */
        NESTED
    }

    private record Entry(Kind kind, Kind nestedDefault) {}

    private static final Map<String, Map<String, Entry>> CATALOG = new LinkedHashMap<>();

    static {
        checker(FailoverTimeChecker.NAME,
                "client", Kind.TIME, "client_observed_down", Kind.TIME, "dcs", Kind.TIME, "redundancy", Kind.TIME, "fault_at", Kind.TIME,
                "old_leader", Kind.TEXT, "new_leader", Kind.TEXT);
        nested(FailoverTimeChecker.NAME, "write_gaps", Kind.TIME);
        nested(FailoverTimeChecker.NAME, "by_fault", Kind.TIME);
        checker(DataLossChecker.NAME,
                "acknowledged", Kind.COUNT, "lost", Kind.COUNT, "lost_keys", Kind.LIST, "unknown", Kind.COUNT,
                "unknown_present", Kind.COUNT, "failed_present", Kind.COUNT, "final_keys", Kind.COUNT);
        checker(ReplicaLagChecker.NAME,
                "max_bytes", Kind.BYTES, "p99_bytes", Kind.BYTES, "max_seconds", Kind.TIME, "p99_seconds", Kind.TIME,
                "samples", Kind.COUNT, "catch_up", Kind.TIME, "catch_up_threshold_bytes", Kind.BYTES);
        for (String n : List.of("during_fault", "after_fault", "by_replica", "by_hop")) {
            nested(ReplicaLagChecker.NAME, n, Kind.COUNT);
        }
        checker(ReadOffloadChecker.NAME,
                "share", Kind.FRACTION, "availability_during_fault", Kind.FRACTION, "reads", Kind.COUNT,
                "reads_ok", Kind.COUNT, "stale_primary_reads", Kind.COUNT);
        nested(ReadOffloadChecker.NAME, "staleness", Kind.COUNT);
        nested(ReadOffloadChecker.NAME, "by_node", Kind.COUNT);
        checker(SplitBrainChecker.NAME,
                "split_brain", Kind.TEXT, "nodes_accepting_writes", Kind.COUNT, "anomalies", Kind.COUNT, "nodes", Kind.LIST);
        checker(BankChecker.NAME,
                "expected_total", Kind.COUNT, "reads", Kind.COUNT, "wrong_reads", Kind.COUNT, "wrong_totals", Kind.LIST,
                "transfers_ok", Kind.COUNT, "transfers_failed", Kind.COUNT, "transfers_unknown", Kind.COUNT);
    }

    private static void checker(String checker, Object... nameKind) {
        Map<String, Entry> m = CATALOG.computeIfAbsent(checker, k -> new LinkedHashMap<>());
        for (int i = 0; i < nameKind.length; i += 2) {
            m.put((String) nameKind[i], new Entry((Kind) nameKind[i + 1], null));
        }
    }

    private static void nested(String checker, String name, Kind leafDefault) {
        CATALOG.computeIfAbsent(checker, k -> new LinkedHashMap<>()).put(name, new Entry(Kind.NESTED, leafDefault));
    }

    public static List<String> checkers() {
        return List.copyOf(CATALOG.keySet());
    }

    /** The checker a full metric name belongs to: its first segment. */
    public static String checkerOf(String metric) {
        int dot = metric.indexOf('.');
        return dot < 0 ? metric : metric.substring(0, dot);
    }

    /**
     * The kind of a full metric name ({@code failover_time.client}, {@code replica_lag.by_replica.pg2.max_bytes},
     * {@code split_brain}), or empty with {@link #problem} saying why it is not a known metric.
     */
    public static Optional<Kind> kindOf(String metric) {
        return Optional.ofNullable(resolve(metric).kind);
    }

    /** Why {@code metric} is not a metric, or empty when it is one. */
    public static Optional<String> problem(String metric) {
        return Optional.ofNullable(resolve(metric).problem);
    }

    private record Resolved(Kind kind, String problem) {}

    private static Resolved resolve(String metric) {
        String checker = checkerOf(metric);
        Map<String, Entry> metrics = CATALOG.get(checker);
        if (metrics == null) {
            return new Resolved(null, "unknown checker '" + checker + "' (known: " + String.join(", ", CATALOG.keySet()) + ")");
        }
        String rest = metric.equals(checker) ? checker : metric.substring(checker.length() + 1);
        int dot = rest.indexOf('.');
        String top = dot < 0 ? rest : rest.substring(0, dot);
        Entry e = metrics.get(top);
        if (e == null || top.isEmpty()) {
            return new Resolved(null, "unknown metric '" + metric + "' (" + checker + " has: "
                    + String.join(", ", metrics.keySet().stream().map(n -> n.equals(checker) ? n : checker + "." + n).toList()) + ")");
        }
        if (e.kind != Kind.NESTED) {
            return dot < 0 ? new Resolved(e.kind, null)
                    : new Resolved(null, "'" + checker + "." + top + "' has no parts; '" + metric + "' is not a metric");
        }
        if (dot < 0) {
            return new Resolved(Kind.NESTED, null);
        }
        String leaf = rest.substring(rest.lastIndexOf('.') + 1);
        return new Resolved(leafKind(leaf, e.nestedDefault), null);
    }

    /** Leaves of nested metrics carry their unit in their name. */
    private static Kind leafKind(String leaf, Kind fallback) {
        if (leaf.endsWith("bytes")) {
            return Kind.BYTES;
        }
        if (leaf.endsWith("seconds") || leaf.endsWith("_at") || leaf.equals("client") || leaf.equals("dcs")) {
            return Kind.TIME;
        }
        if (leaf.endsWith("_keys") || leaf.equals("samples")) {
            return Kind.COUNT;
        }
        return fallback;
    }

    /**
     * Looks a full metric name up in merged metrics ({@link CheckResults#metrics()}): the name itself,
     * else the longest prefix that holds a map, and the rest inside it (names of nodes may be keys there).
     */
    public static Optional<Object> lookup(Map<String, ?> metrics, String metric) {
        if (metrics.containsKey(metric)) {
            return Optional.ofNullable(metrics.get(metric));
        }
        for (int dot = metric.lastIndexOf('.'); dot > 0; dot = metric.lastIndexOf('.', dot - 1)) {
            Object inner = metrics.get(metric.substring(0, dot));
            if (inner instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) m;
                Optional<Object> found = lookup(typed, metric.substring(dot + 1));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
