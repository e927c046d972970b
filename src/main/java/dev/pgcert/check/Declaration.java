package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.load.LoadSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a checker says about itself ({@link Checker#declaration()}): its name, the category of its
 * failures, the metrics it publishes and the loads it applies to. Immutable; built fluently:
 * <pre>{@code
 * Declaration.of("read_offload", Category.READ_OFFLOAD)
 *         .metrics(Kind.FRACTION, "share", "availability_during_fault")
 *         .nested(Kind.COUNT, "by_node")
 *         .appliesWhen(load -> load.reads() != null, "the load has no reads")
 * }</pre>
 */
public record Declaration(String name, Category category, List<Metric> metrics, Predicate<LoadSpec> appliesTo,
                          String notApplicable) {

    public Declaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(appliesTo, "appliesTo");
        notApplicable = notApplicable == null ? "the load gives " + name + " nothing to judge" : notApplicable;
    }

    /** A checker with no metrics yet, applying to every load. */
    public static Declaration of(String name, Category category) {
        return new Declaration(name, category, List.of(), load -> true, null);
    }

    /** Adds metrics of one kind. */
    public Declaration metrics(Kind kind, String... names) {
        return with(Arrays.stream(names).map(n -> Metric.of(n, kind)).toList());
    }

    /** Adds maps of further metrics whose leaves, unless their names say otherwise, are of {@code leafKind}. */
    public Declaration nested(Kind leafKind, String... names) {
        return with(Arrays.stream(names).map(n -> Metric.nested(n, leafKind)).toList());
    }

    /** Only loads that give the checker something to judge; {@code otherwise} says what such a load lacks. */
    public Declaration appliesWhen(Predicate<LoadSpec> when, String otherwise) {
        return new Declaration(name, category, metrics, when, otherwise);
    }

    private Declaration with(List<Metric> more) {
        List<Metric> all = new ArrayList<>(metrics);
        all.addAll(more);
        return new Declaration(name, category, all, appliesTo, notApplicable);
    }
}
