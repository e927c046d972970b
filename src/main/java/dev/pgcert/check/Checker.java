package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.load.LoadSpec;

import java.util.List;

/**
 * Judges a history. A pure function of it: no clocks, no I/O, the same history gives the same
 * result. A checker that cannot judge (the history lacks what it needs) answers UNKNOWN, never VALID.
 *
 * <p>A checker declares itself ({@link Declaration}): its name, the {@link Category} its failures fall
 * under, the metrics it publishes and the loads it applies to. The metric catalogue
 * ({@link MetricCatalog}), the categories of expectations and the runner's choice of checkers all
 * derive from these declarations, so adding a checker is one class plus one line in {@link Checkers#all()}.
 */
public interface Checker {

    Declaration declaration();

    CheckResult check(History history);

    /** The name results and metric prefixes carry, e.g. {@code failover_time}. */
    default String name() {
        return declaration().name();
    }

    /** The category a missed limit on one of its metrics falls under. */
    default Category category() {
        return declaration().category();
    }

    /** Every metric it may publish, under short names (see {@link CheckResult#qualify}). */
    default List<Metric> metrics() {
        return declaration().metrics();
    }

    /**
     * Whether the load gives it anything to judge; a checker that does not apply is not run (a bank
     * checker without transfers or balances would only ever say UNKNOWN).
     */
    default boolean appliesTo(LoadSpec load) {
        return declaration().appliesTo().test(load);
    }
}
