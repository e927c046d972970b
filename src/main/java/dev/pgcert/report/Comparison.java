package dev.pgcert.report;

import dev.pgcert.check.MetricCatalog;
import dev.pgcert.report.MetricComparison.Direction;
import dev.pgcert.report.MetricComparison.Judgement;
import dev.pgcert.yaml.Units;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One scenario run N times on a baseline and on a candidate ({@code bin/pgcert compare}): each side's
 * verdicts, and each compared metric judged by {@link MetricComparison} from the runs that measured it.
 * The candidate regresses when a metric is WORSE or one of its verdicts failed. A pure function of the
 * runs' figures; the command line runs the scenarios.
 */
public record Comparison(String scenario, List<Run> baseline, List<Run> candidate) {

    /** The metrics compared, in table order, with their direction; then each {@code failover_time.stages.*} present. */
    public static final Map<String, Direction> METRICS = linked(
            "failover_time.probe", Direction.LOWER_IS_BETTER,
            "failover_time.client", Direction.LOWER_IS_BETTER,
            "failover_time.dcs", Direction.LOWER_IS_BETTER,
            "data_loss.lost", Direction.LOWER_IS_BETTER,
            "replica_lag.max_bytes", Direction.LOWER_IS_BETTER,
            "read_offload.share", Direction.HIGHER_IS_BETTER);
    static final String STAGES = "failover_time.stages";

    /**
     * One run of one side: its verdict (for a self-certification case, whether it got its expected
     * verdict), the failure's message, and its metrics under full names; a harness error has no verdict
     * and no metrics.
     */
    public record Run(Outcome outcome, String message, Map<String, Object> metrics) {
        public enum Outcome { PASSED, FAILED, HARNESS_ERROR }

        String describe() {
            return switch (outcome) {
                case PASSED -> "pass";
                case FAILED -> "**FAIL**";
                case HARNESS_ERROR -> "harness error";
            };
        }
    }

    public Comparison {
        baseline = List.copyOf(baseline);
        candidate = List.copyOf(candidate);
    }

    /** Every compared metric either side measured, judged; a metric only one side measured is left out here (see {@link #unmatched}). */
    public List<MetricComparison> metrics() {
        List<MetricComparison> out = new ArrayList<>();
        for (String metric : metricNames()) {
            List<Double> b = values(baseline, metric);
            List<Double> c = values(candidate, metric);
            if (!b.isEmpty() && !c.isEmpty()) {
                out.add(MetricComparison.of(metric, direction(metric), b, c));
            }
        }
        return out;
    }

    /** Metrics one side measured and the other never did: named in the summary, not judged. */
    public List<String> unmatched() {
        return metricNames().stream()
                .filter(m -> values(baseline, m).isEmpty() != values(candidate, m).isEmpty())
                .map(m -> m + " (measured by the " + (values(baseline, m).isEmpty() ? "candidate" : "baseline") + " only)")
                .toList();
    }

    /** The compared metrics in table order: the headline ones, then the stages any run measured. */
    List<String> metricNames() {
        Set<String> names = new LinkedHashSet<>(METRICS.keySet());
        for (List<Run> side : List.of(baseline, candidate)) {
            for (Run run : side) {
                if (MetricCatalog.lookup(run.metrics(), STAGES).orElse(null) instanceof Map<?, ?> stages) {
                    stages.keySet().forEach(k -> names.add(STAGES + "." + k));
                }
            }
        }
        return List.copyOf(names);
    }

    private static Direction direction(String metric) {
        return METRICS.getOrDefault(metric, Direction.LOWER_IS_BETTER);
    }

    /** The metric's value in each run that measured it; Jackson writes an infinite time as "Infinity". */
    private static List<Double> values(List<Run> runs, String metric) {
        List<Double> out = new ArrayList<>();
        for (Run run : runs) {
            Object v = MetricCatalog.lookup(run.metrics(), metric).orElse(null);
            if (v instanceof Number n) {
                out.add(n.doubleValue());
            } else if ("Infinity".equals(v)) {
                out.add(Double.POSITIVE_INFINITY);
            }
        }
        return out;
    }

    /** The metrics where the candidate is worse beyond the run-to-run spread. */
    public List<MetricComparison> worse() {
        return metrics().stream().filter(m -> m.judgement() == Judgement.WORSE).toList();
    }

    public boolean candidateVerdictFailed() {
        return candidate.stream().anyMatch(r -> r.outcome() == Run.Outcome.FAILED);
    }

    /** A verdict that went from pass to fail: every baseline run passed, a candidate run failed. */
    public boolean verdictRegressed() {
        return candidateVerdictFailed() && !baseline.isEmpty()
                && baseline.stream().allMatch(r -> r.outcome() == Run.Outcome.PASSED);
    }

    public boolean harnessError() {
        return baseline.stream().anyMatch(r -> r.outcome() == Run.Outcome.HARNESS_ERROR)
                || candidate.stream().anyMatch(r -> r.outcome() == Run.Outcome.HARNESS_ERROR);
    }

    /** The candidate is worse somewhere or one of its verdicts failed. */
    public boolean regression() {
        return candidateVerdictFailed() || !worse().isEmpty();
    }

    /** One line for a failed comparison test and the console: what got worse, which verdicts failed. */
    public Optional<String> regressionMessage() {
        List<String> parts = new ArrayList<>();
        worse().forEach(m -> parts.add(m.metric() + " worse: " + figures(m.metric(), m.baseline()) + " -> "
                + figures(m.metric(), m.candidate()) + " (median " + signed(m.metric(), m.difference()) + ")"));
        if (candidateVerdictFailed()) {
            parts.add((verdictRegressed() ? "verdict went from pass to fail: " : "candidate verdict failed: ")
                    + candidate.stream().filter(r -> r.outcome() == Run.Outcome.FAILED).map(Run::message)
                    .distinct().collect(Collectors.joining(" | ")));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(scenario + ": " + String.join("; ", parts));
    }

    /** The table's header and separator. */
    public static String tableHeader() {
        return "| scenario | metric | baseline min / median / max | candidate min / median / max | difference | judgement |\n"
                + "|---|---|---|---|---|---|\n";
    }

    /** This scenario's rows: its verdicts, then one row per metric. */
    public String tableRows() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(scenario).append(" | verdicts | ").append(verdicts(baseline)).append(" | ")
                .append(verdicts(candidate)).append(" | | ")
                .append(verdictRegressed() ? "**REGRESSION**" : candidateVerdictFailed() ? "**candidate fails**" : "")
                .append(" |\n");
        for (MetricComparison m : metrics()) {
            out.append("| ").append(scenario).append(" | ").append(m.metric()).append(" | ")
                    .append(figures(m.metric(), m.baseline())).append(" | ")
                    .append(figures(m.metric(), m.candidate())).append(" | ")
                    .append(signed(m.metric(), m.difference())).append(" | ")
                    .append(judgement(m.judgement())).append(" |\n");
        }
        return out.toString();
    }

    /** A Markdown table of this scenario alone (its comparison test's attachment). */
    public String table() {
        String notes = unmatched().isEmpty() ? "" : "\nNot compared: " + String.join(", ", unmatched()) + "\n";
        return tableHeader() + tableRows() + notes;
    }

    private static String verdicts(List<Run> runs) {
        return runs.isEmpty() ? "-" : runs.stream().map(Run::describe).collect(Collectors.joining(", "));
    }

    private static String judgement(Judgement j) {
        return switch (j) {
            case WORSE -> "**worse**";
            case BETTER -> "better";
            case SAME -> "same";
            case UNDECIDED -> "undecided (one run)";
        };
    }

    static String figures(String metric, MetricComparison.Figures f) {
        return value(metric, f.min()) + " / " + value(metric, f.median()) + " / " + value(metric, f.max());
    }

    /** A value in the metric's unit: seconds with two decimals, sizes as 1.5MB, shares with two decimals, counts whole. */
    static String value(String metric, double v) {
        if (Double.isInfinite(v)) {
            return "never";
        }
        if (Double.isNaN(v)) {
            return "-";
        }
        MetricCatalog.Kind kind = MetricCatalog.kindOf(metric).orElse(MetricCatalog.Kind.TIME);
        return switch (kind) {
            case BYTES -> Units.formatSize(Math.round(v));
            case FRACTION -> String.format(Locale.ROOT, "%.2f", v);
            case COUNT -> String.format(Locale.ROOT, "%.0f", v);
            default -> String.format(Locale.ROOT, "%.2f s", v);
        };
    }

    private static String signed(String metric, double difference) {
        if (Double.isNaN(difference)) {
            return "-";
        }
        if (difference == 0) {
            return "0";
        }
        return (difference > 0 ? "+" : "-") + value(metric, Math.abs(difference));
    }

    private static Map<String, Direction> linked(Object... pairs) {
        Map<String, Direction> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Direction) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
