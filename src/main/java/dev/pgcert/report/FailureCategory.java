package dev.pgcert.report;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why a certification run failed, as the Allure report's Categories tab groups it.
 *
 * <p>Message format: every failure line starts with its tag, e.g.
 * {@code [data loss] 3 acknowledged writes missing on the final primary: keys 1021, 1022, 1040}.
 * A message may hold several lines with different tags; the test then shows under each of those
 * categories. A failed or broken test whose message has no verdict tag (a crash, a harness
 * assertion, or a line tagged {@code [harness]}) is a harness or infrastructure error.
 */
public enum FailureCategory {
    DATA_LOSS("data loss", "acknowledged writes missing or changed after the run settled"),
    SPLIT_BRAIN("split brain", "more than one primary accepted writes at the same time"),
    SLOW_FAILOVER("slow failover", "clients could not write for longer than the limit"),
    REPLICA_LAG("replica lag", "a replica fell further behind than the limit"),
    READ_OFFLOAD("read offload", "reads were not served by replicas as configured"),
    INVARIANT("invariant", "a workload invariant broke (bank total, monotonic reads, ...)"),
    HARNESS("harness or infrastructure error", "the harness or its containers failed; no verdict on the cluster");

    private final String title;
    private final String meaning;

    /** Titles are plain words and spaces, so they go into the regexes unescaped. */
    FailureCategory(String title, String meaning) {
        this.title = title;
        this.meaning = meaning;
    }

    /** The name in the report's Categories tab. */
    public String title() {
        return title;
    }

    public String meaning() {
        return meaning;
    }

    /** The line prefix: {@code [data loss]}; the harness's is {@code [harness]}. */
    public String tag() {
        return "[" + (this == HARNESS ? "harness" : title) + "]";
    }

    /** One message line in the agreed format: {@code [data loss] detail}. */
    public String message(String detail) {
        return tag() + " " + detail;
    }

    /**
     * The Allure 2 message regex. Allure matches it against the whole message with DOTALL, so
     * {@code (.*\n)?} lets the tag open any line.
     */
    public String messageRegex() {
        if (this == HARNESS) {
            String verdictTags = verdicts().stream().map(c -> c.title).collect(Collectors.joining("|"));
            return "(?!(.*\\n)?\\[(" + verdictTags + ")\\] ).*";
        }
        return "(.*\\n)?\\[" + title + "\\] .*";
    }

    /**
     * Every category matches failed and broken tests: a failed test with no verdict tag (the
     * harness's own assertion) is as much a harness problem as a crash.
     */
    public List<String> matchedStatuses() {
        return List.of("failed", "broken");
    }

    /**
     * The category with this report title; the titles equal dev.pgcert.check.Category labels, so a
     * checker's category maps here by its label.
     */
    public static FailureCategory byTitle(String title) {
        return Arrays.stream(values()).filter(c -> c.title.equals(title)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no report category titled '" + title + "'"));
    }

    /** The categories that judge the cluster, in order of severity. */
    public static List<FailureCategory> verdicts() {
        return Arrays.stream(values()).filter(c -> c != HARNESS).toList();
    }
}
