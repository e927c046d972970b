package dev.pgcert.check;

import java.util.Arrays;
import java.util.List;

/**
 * What kind of failure an expectation result is: the one list of failure categories. A checker
 * declares its category ({@link Checker#category()}); the report's Allure categories, the failure
 * message tags ({@code [data loss] ...}) and the scenario's {@code expected_outcome.categories} all
 * derive from this enum. Ordered by severity.
 */
public enum Category {
    DATA_LOSS("data loss", "acknowledged writes missing or changed after the run settled"),
    SPLIT_BRAIN("split brain", "more than one primary accepted writes at the same time"),
    SLOW_FAILOVER("slow failover", "clients could not write for longer than the limit"),
    REPLICA_LAG("replica lag", "a replica fell further behind than the limit"),
    READ_OFFLOAD("read offload", "reads were not served by replicas as configured"),
    BACKUP("backup", "a restore lost more than the recovery point allows, took longer than the recovery time allows,"
            + " or did not land on its target"),
    ISOLATION("isolation", "transactions showed an anomaly their isolation level forbids (lost append, cycle, ...)"),
    ROLES("roles", "the leader, the timeline, a member's role or the synchronous standby was not as the scenario expects"),
    INVARIANT("invariant", "a workload invariant broke (bank total, monotonic reads, ...)"),
    HARNESS_ERROR("harness or infrastructure error", "the harness or its containers failed; no verdict on the cluster");

    private final String label;
    private final String meaning;

    /** Labels are plain words and spaces, so they go into report regexes unescaped. */
    Category(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    /** The name the report and scenarios use: {@code data loss}. */
    public String label() {
        return label;
    }

    /** One line saying what a failure of this category means. */
    public String meaning() {
        return meaning;
    }

    /** The failure-line prefix: {@code [data loss]}; the harness's is {@code [harness]}. */
    public String tag() {
        return "[" + (this == HARNESS_ERROR ? "harness" : label) + "]";
    }

    /** One failure line in the agreed format: {@code [data loss] detail}. */
    public String message(String detail) {
        return tag() + " " + detail;
    }

    /** The category with this label. */
    public static Category byLabel(String label) {
        return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no failure category labelled '" + label + "'"));
    }

    /** The categories that judge the cluster (all but the harness's), in order of severity. */
    public static List<Category> verdicts() {
        return Arrays.stream(values()).filter(c -> c != HARNESS_ERROR).toList();
    }

    @Override
    public String toString() {
        return label;
    }
}
