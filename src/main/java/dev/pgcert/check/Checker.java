package dev.pgcert.check;

import dev.pgcert.history.History;

/**
 * Judges a history. A pure function of it: no clocks, no I/O, the same history gives the same
 * result. A checker that cannot judge (the history lacks what it needs) answers UNKNOWN, never VALID.
 */
public interface Checker {

    /** The name results and metric prefixes carry, e.g. {@code failover_time}. */
    String name();

    CheckResult check(History history);
}
