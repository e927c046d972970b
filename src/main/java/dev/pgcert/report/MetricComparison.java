package dev.pgcert.report;

import dev.pgcert.check.Stats;

import java.util.List;

/**
 * One metric of one scenario compared between a baseline and a candidate (two stacks, two topologies),
 * each run several times: both sides' min / median / max, the difference of the medians, and a
 * judgement. "Same" means inside the run-to-run spread, never one run against one run:
 * <ul>
 *   <li>SAME when the two sides' ranges overlap, or when the medians differ by no more than the larger
 *       of the two ranges (max - min): a difference the runs of one side already show is noise;</li>
 *   <li>otherwise BETTER or WORSE by the metric's direction (failover times and lost writes: lower is
 *       better; read offload: higher is better);</li>
 *   <li>UNDECIDED when a side has fewer than two runs and the medians differ: there is no spread to
 *       judge the difference against.</li>
 * </ul>
 * A pure function of the figures: {@code bin/pgcert compare} judges each metric of each scenario with it
 * ({@link Comparison}).
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
    }

    public static MetricComparison of(String metric, Direction direction, List<Double> baseline, List<Double> candidate) {
        Figures b = Figures.of(baseline);
        Figures c = Figures.of(candidate);
        double difference = c.median() - b.median();
        return new MetricComparison(metric, b, c, difference, judge(direction, b, c, difference));
    }

    private static Judgement judge(Direction direction, Figures b, Figures c, double difference) {
        if (difference == 0) {
            return Judgement.SAME;
        }
        if (b.runs() < 2 || c.runs() < 2) {
            return Judgement.UNDECIDED;
        }
        if (b.overlaps(c) || Math.abs(difference) <= Math.max(b.range(), c.range())) {
            return Judgement.SAME;
        }
        boolean higher = difference > 0;
        return higher == (direction == Direction.HIGHER_IS_BETTER) ? Judgement.BETTER : Judgement.WORSE;
    }
}
