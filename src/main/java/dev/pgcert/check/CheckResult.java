package dev.pgcert.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one checker found.
 *
 * @param checker     the checker's name, also the prefix of its metrics ({@code failover_time})
 * @param verdict     VALID, INVALID or UNKNOWN
 * @param metrics     measured values under short names ({@code client}); a metric that could not be
 *                    measured is absent, never null. Times are seconds (double), sizes bytes, shares
 *                    fractions 0..1, counts integers; nested maps for per-node breakdowns.
 * @param explanation one or two sentences with the numbers
 */
public record CheckResult(String checker, Verdict verdict, Map<String, Object> metrics, String explanation) {

    public CheckResult {
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(verdict, "verdict");
        Map<String, Object> copy = new LinkedHashMap<>();
        if (metrics != null) {
            metrics.forEach((k, v) -> {
                if (v != null) {
                    copy.put(k, v);
                }
            });
        }
        metrics = Collections.unmodifiableMap(copy);
        explanation = explanation == null ? "" : explanation;
    }

    public static CheckResult unknown(String checker, String explanation) {
        return new CheckResult(checker, Verdict.UNKNOWN, Map.of(), explanation);
    }

    /**
     * The metric's full name as scenarios write it: {@code checker.metric}; a metric named like its
     * checker is the bare name ({@code split_brain}).
     */
    public String qualify(String metric) {
        return metric.equals(checker) ? checker : checker + "." + metric;
    }

    /** These metrics under their full names. */
    public Map<String, Object> qualifiedMetrics() {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(qualify(k), v));
        return out;
    }
}
