package dev.pgcert.check;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Order statistics over samples, the harness's one implementation: nearest-rank percentiles and the
 * lower median, so every answer is a sample seen. The checkers, the timeline plot and the stability
 * table all use it, so a median or p99 means the same everywhere.
 */
public final class Stats {
    private Stats() {}

    public static double[] sorted(Collection<? extends Number> xs) {
        double[] a = xs.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Nearest-rank percentile of sorted samples, p in (0, 1]; NaN for none. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double max(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** The lower median: a sample, not an average of two. */
    public static double median(double[] sorted) {
        return percentile(sorted, 0.5);
    }

    /** Rounds to microseconds/bytes so metrics and reports do not carry float noise. */
    public static double round(double x, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(x * f) / f;
    }

    /**
     * Puts the peak of samples into a metrics map: {@code max_<unit>} and {@code p99_<unit>}, as whole
     * numbers (bytes, keys) or as seconds rounded to microseconds; nothing when there are no samples.
     *
     * @return the sorted samples
     */
    static double[] putPeak(Map<String, Object> metrics, String unit, Collection<? extends Number> samples, boolean whole) {
        double[] sorted = sorted(samples);
        if (sorted.length > 0) {
            metrics.put("max_" + unit, whole ? (Object) (long) max(sorted) : round(max(sorted), 6));
            metrics.put("p99_" + unit, whole ? (Object) (long) percentile(sorted, 0.99) : round(percentile(sorted, 0.99), 6));
        }
        return sorted;
    }
}
