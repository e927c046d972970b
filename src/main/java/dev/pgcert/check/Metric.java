package dev.pgcert.check;

import java.util.Objects;

/**
 * One metric a checker publishes, as it declares it ({@link Checker#metrics()}): its short name
 * ({@code client}; the full name is {@code failover_time.client}), its kind, and the unit the kind
 * implies. A {@link MetricCatalog.Kind#NESTED} metric is a map of further metrics (per node, per
 * fault); {@code leafKind} is the kind of a leaf whose name does not say its unit.
 */
public record Metric(String name, MetricCatalog.Kind kind, MetricCatalog.Kind leafKind) {

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if ((kind == MetricCatalog.Kind.NESTED) != (leafKind != null)) {
            throw new IllegalArgumentException("metric " + name + ": a leaf kind goes with NESTED and only there");
        }
    }

    public static Metric of(String name, MetricCatalog.Kind kind) {
        return new Metric(name, kind, null);
    }

    public static Metric nested(String name, MetricCatalog.Kind leafKind) {
        return new Metric(name, MetricCatalog.Kind.NESTED, leafKind);
    }

    /** The base unit of its values: {@code s}, {@code bytes}, {@code fraction}, {@code count}; empty for text and lists. */
    public String unit() {
        return (kind == MetricCatalog.Kind.NESTED ? leafKind : kind).unit();
    }
}
