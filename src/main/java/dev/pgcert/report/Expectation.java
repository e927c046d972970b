package dev.pgcert.report;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * One measured quantity against its limit, e.g. {@code failover_time.client: measured 11.2 s,
 * limit < 30 s}. A quantity that could not be measured (NaN) never meets its limit.
 *
 * @param name     dotted metric name, e.g. {@code failover_time.client}
 * @param measured the measured value, NaN when nothing was measured
 * @param bound    how the measured value must relate to the limit
 * @param limit    the limit, in {@code unit}
 * @param unit     unit for display ("s", "ms", "writes", "bytes"); empty for plain numbers
 * @param category where a miss is filed in the report
 */
public record Expectation(String name, double measured, Bound bound, double limit, String unit, FailureCategory category) {

    public enum Bound {
        BELOW("<"), AT_MOST("<="), EQUAL("="), AT_LEAST(">="), ABOVE(">");

        private final String symbol;

        Bound(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double measured, double limit) {
            return switch (this) {
                case BELOW -> measured < limit;
                case AT_MOST -> measured <= limit;
                case EQUAL -> measured == limit;
                case AT_LEAST -> measured >= limit;
                case ABOVE -> measured > limit;
            };
        }
    }

    public Expectation {
        unit = unit == null ? "" : unit;
    }

    public static Expectation below(String name, double measured, double limit, String unit, FailureCategory category) {
        return new Expectation(name, measured, Bound.BELOW, limit, unit, category);
    }

    public static Expectation atMost(String name, double measured, double limit, String unit, FailureCategory category) {
        return new Expectation(name, measured, Bound.AT_MOST, limit, unit, category);
    }

    public static Expectation atLeast(String name, double measured, double limit, String unit, FailureCategory category) {
        return new Expectation(name, measured, Bound.AT_LEAST, limit, unit, category);
    }

    public static Expectation equal(String name, double measured, double limit, String unit, FailureCategory category) {
        return new Expectation(name, measured, Bound.EQUAL, limit, unit, category);
    }

    public boolean met() {
        return !Double.isNaN(measured) && bound.holds(measured, limit);
    }

    /** {@code failover_time.client: measured 11.2 s, limit < 30 s}: the step name in the report. */
    public String describe() {
        String value = Double.isNaN(measured) ? "nothing (not measured)" : withUnit(measured);
        return name + ": measured " + value + ", limit " + bound.symbol() + " " + withUnit(limit);
    }

    /** The failure line in the category format: {@code [slow failover] failover_time.client: ...}. */
    public String failureMessage() {
        return category.message(describe());
    }

    private String withUnit(double v) {
        String number = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
        return unit.isEmpty() ? number : number + " " + unit;
    }
}
