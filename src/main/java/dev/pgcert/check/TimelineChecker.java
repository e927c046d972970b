package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The leader's timeline, from Patroni's {@code /cluster} samples: {@code before} (in the first sample
 * that reports it), {@code after} (in the last), {@code changed} ({@code "true"} or {@code "false"}) and
 * {@code increments} (after minus before: 1 after one promotion). A scenario asserts
 * {@code timeline.changed: false} for a fault that must not cause a failover, or
 * {@code timeline.increments: 1} for exactly one. VALID when measured, UNKNOWN without a leader's timeline.
 */
public final class TimelineChecker implements Checker {
    public static final String NAME = "timeline";

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.ROLES)
            .metrics(Kind.COUNT, "before", "after", "increments")
            .metrics(Kind.TEXT, "changed");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        Long before = null;
        Long after = null;
        for (Event sample : h.byF(Event.Fn.CLUSTER)) {
            Optional<Long> t = ClusterSamples.leaderTimeline(sample);
            if (t.isPresent()) {
                before = before == null ? t.get() : before;
                after = t.get();
            }
        }
        if (before == null) {
            return CheckResult.unknown(NAME, "No cluster sample reported the leader's timeline.");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", before);
        m.put("after", after);
        m.put("changed", Boolean.toString(!before.equals(after)));
        m.put("increments", after - before);
        return new CheckResult(NAME, Verdict.VALID, m, before.equals(after) ? "The timeline stayed " + before + "."
                : "The timeline went from " + before + " to " + after + ".");
    }
}
