package dev.pgcert.check;

/**
 * One expectation judged against a run's metrics.
 *
 * @param metric    the full metric name
 * @param limitText the limit as the scenario wrote it ({@code < 30s})
 * @param measured  the value with its unit ({@code 11.2 s}), {@code missing} or {@code unknown}
 * @param passed    whether the limit held; never true for a missing metric or an UNKNOWN checker
 * @param category  the metric's category; {@link Category#HARNESS_ERROR} when it could not be judged
 */
public record ExpectationResult(String metric, String limitText, String measured, boolean passed, Category category) {

    /** Could not be judged (missing metric, checker UNKNOWN or not run): a harness problem, not a finding. */
    public boolean undetermined() {
        return category == Category.HARNESS_ERROR;
    }

    /** {@code failover_time.client = 11.2 s (limit < 30s): passed}. */
    public String describe() {
        return metric + " = " + measured + " (limit " + limitText + "): "
                + (passed ? "passed" : undetermined() ? "not judged, " + category.label() : "FAILED, " + category.label());
    }
}
