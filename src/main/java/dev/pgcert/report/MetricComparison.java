package dev.pgcert.report;

import dev.pgcert.check.MetricCatalog;
import dev.pgcert.check.Stats;

import java.util.List;

/**
 * One metric of one scenario compared between a baseline and a candidate (two stacks, two topologies),
 * each run several times: both sides' min / median / max, the difference of the medians, and a
 * judgement. "Same" means inside the run-to-run spread, never one run against one run.
 *
 * <p>What "inside the spread" means depends on what the metric counts:
 * <ul>
 *   <li><b>Times and sizes</b> (failover times, replication lag) vary continuously from run to run with
 *       where the fault fell in Patroni's loop, the machine's load, and so on. A side's spread is its
 *       range (max - min). SAME when the two ranges overlap, or when the medians differ by no more than
 *       the larger of the two ranges: a difference the runs of one side already show among themselves is
 *       noise. One exception: a time that is finite on every baseline run and "never" (infinite: the
 *       stage never happened) on some candidate run is a difference whatever the spread.</li>
 *   <li><b>Counts</b> (lost writes, wrong reads) are not noise around a value: each one is an event that
 *       happened. A count that is zero on every run of one side and non-zero on some run of the other is
 *       a difference whatever the spread: {@code 0, 0, 0} against {@code 0, 0, 5} is WORSE (its
 *       medians are equal and its ranges overlap, so the rule for times would call it the same). When
 *       both sides have non-zero runs (the design loses writes sometimes), the rule for times applies.</li>
 * </ul>
 * Otherwise the judgement is BETTER or WORSE by the metric's direction (failover times and lost writes:
 * lower is better; read offload: higher is better), and UNDECIDED when a side has fewer than two runs and
 * the medians differ: there is no spread to judge the difference against.
 *
 * <p>A pure function of the figures: {@code bin/pgcert compare} judges each metric of each scenario with
 * it ({@link Comparison}).
 */
public record MetricComparison(String metric, Figures baseline, Figures candidate, double difference,
                               Judgement judgement) {

    public enum Direction { LOWER_IS_BETTER, HIGHER_IS_BETTER }

    public enum Judgement { BETTER, SAME, WORSE, UNDECIDED }

    /** One side's runs: how many, and their min, (lower) median and max. */
    public record Figures(int runs, double min, double median, double max) {
        public static Figures of(List<Double> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("no runs to compare");
            }
            double[] sorted = Stats.sorted(values);
            return new Figures(sorted.length, sorted[0], Stats.median(sorted), sorted[sorted.length - 1]);
        }

        public double range() {
            return max - min;
        }

        boolean overlaps(Figures other) {
            return min <= other.max && other.min <= max;
        }

        boolean allZero() {
            return min == 0 && max == 0;
        }

        boolean anyNonZero() {
            return min != 0 || max != 0;
        }
    }

    /** Judges {@code metric} by its kind in the {@link MetricCatalog} (a count, or a time or size). */
    public static MetricComparison of(String metric, Direction direction, List<Double> baseline, List<Double> candidate) {
        boolean count = MetricCatalog.kindOf(metric).orElse(MetricCatalog.Kind.TIME) == MetricCatalog.Kind.COUNT;
        Figures b = Figures.of(baseline);
        Figures c = Figures.of(candidate);
        double difference = c.median() - b.median();
        return new MetricComparison(metric, b, c, difference, judge(direction, count, b, c, difference));
    }

    private static Judgement judge(Direction direction, boolean count, Figures b, Figures c, double difference) {
        if (count && b.allZero() != c.allZero() && (b.anyNonZero() || c.anyNonZero())) {
            return byDirection(direction, c.anyNonZero());
        }
        if (!count && Double.isFinite(b.max()) != Double.isFinite(c.max())) {
            return byDirection(direction, Double.isInfinite(c.max()));
        }
        if (difference == 0 || Double.isNaN(difference)) {
            return Judgement.SAME;
        }
        if (b.runs() < 2 || c.runs() < 2) {
            return Judgement.UNDECIDED;
        }
        if (b.overlaps(c) || Math.abs(difference) <= Math.max(b.range(), c.range())) {
            return Judgement.SAME;
        }
        return byDirection(direction, difference > 0);
    }

    /** BETTER or WORSE when the candidate is the higher side ({@code candidateHigher}) or the lower. */
    private static Judgement byDirection(Direction direction, boolean candidateHigher) {
        return candidateHigher == (direction == Direction.HIGHER_IS_BETTER) ? Judgement.BETTER : Judgement.WORSE;
    }
}
