package dev.pgcert.check;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics over samples; nearest-rank percentiles, so every answer is a sample seen. */
final class Stats {
    private Stats() {}

    static double[] sorted(Collection<? extends Number> xs) {
        double[] a = xs.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Nearest-rank percentile of sorted samples, p in (0, 1]; NaN for none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double max(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** The lower median: a sample, not an average of two. */
    static double median(double[] sorted) {
        return percentile(sorted, 0.5);
    }

    /** Rounds to microseconds/bytes so metrics and reports do not carry float noise. */
    static double round(double x, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(x * f) / f;
    }
}
