package dev.pgcert.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every metric the checkers publish, with its kind, so expectations are checked when a scenario is
 * loaded, not after a long run: a misspelt metric or a limit in the wrong unit is an error up front.
 * Derived from the checkers' own declarations ({@link Checker#metrics()}), never listed here.
 * Metric values are in base units: seconds, bytes, fractions 0..1, counts.
 */
public final class MetricCatalog {
    private MetricCatalog() {}

    public enum Kind {
        TIME("s"), BYTES("bytes"), FRACTION("fraction"), COUNT("count"), TEXT(""), LIST(""),
        /** A map of further metrics; the kind of a leaf follows its name (see {@link #kindOf}). */
        NESTED("");

        private final String unit;

        Kind(String unit) {
            this.unit = unit;
        }

        /** The base unit of values of this kind; empty for text, lists and maps. */
        public String unit() {
            return unit;
        }
    }

    /** Each checker's declared metrics by short name, in {@link Checkers#all()} order. */
    private static final Map<String, Map<String, Metric>> CATALOG = new LinkedHashMap<>();

    static {
        for (Checker c : Checkers.all()) {
            // checkers may share a prefix (FailoverStagesChecker publishes under failover_time): their metrics merge
            Map<String, Metric> metrics = CATALOG.computeIfAbsent(c.name(), k -> new LinkedHashMap<>());
            c.metrics().forEach(m -> metrics.put(m.name(), m));
        }
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
        Map<String, Metric> metrics = CATALOG.get(checker);
        if (metrics == null) {
            return new Resolved(null, "unknown checker '" + checker + "' (known: " + String.join(", ", CATALOG.keySet()) + ")");
        }
        String rest = metric.equals(checker) ? checker : metric.substring(checker.length() + 1);
        int dot = rest.indexOf('.');
        String top = dot < 0 ? rest : rest.substring(0, dot);
        Metric e = metrics.get(top);
        if (e == null || top.isEmpty()) {
            return new Resolved(null, "unknown metric '" + metric + "' (" + checker + " has: "
                    + String.join(", ", metrics.keySet().stream().map(n -> n.equals(checker) ? n : checker + "." + n).toList()) + ")");
        }
        if (e.kind() != Kind.NESTED) {
            return dot < 0 ? new Resolved(e.kind(), null)
                    : new Resolved(null, "'" + checker + "." + top + "' has no parts; '" + metric + "' is not a metric");
        }
        if (dot < 0) {
            return new Resolved(Kind.NESTED, null);
        }
        String leaf = rest.substring(rest.lastIndexOf('.') + 1);
        return new Resolved(leafKind(leaf, e.leafKind()), null);
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
