package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario's limit on one metric: {@code failover_time.client: "< 30s"}. Grammar:
 * {@code [op] value}, op one of {@code < <= > >= ==} (no op means {@code ==}, allowed for counts,
 * text and 0); value a number with an optional unit, or a word for text metrics ({@code none}).
 * Units: time {@code ms s m min h}; size {@code B kB KB KiB MB MiB GB GiB TB} (1024-based, as
 * PostgreSQL counts); share {@code %} or a plain fraction. A time limit needs a unit (except 0), and a
 * unit must fit the metric: {@code replica_lag.max_bytes < 30s} is an error.
 *
 * <p>A time limit may be the word {@code predicted}: {@code failover_time.probe: "<= predicted"}
 * compares with the window the run's settings predict ({@code failover_time.predicted.probe}): its
 * latest bound for {@code <} and {@code <=}, its earliest for {@code >} and {@code >=}.
 */
public final class Expectation {
    private static final Pattern SHAPE = Pattern.compile("^(<=|>=|==|<|>|=)?\\s*(.+)$");
    private static final Pattern NUMBER = Pattern.compile(
            "^([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*(.*)$");

    enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("==");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean test(double measured, double limit) {
            return switch (this) {
                case LT -> measured < limit;
                case LE -> measured <= limit;
                case GT -> measured > limit;
                case GE -> measured >= limit;
                case EQ -> Math.abs(measured - limit) <= 1e-9 * Math.max(1, Math.abs(limit));
            };
        }
    }

    private final String metric;
    private final String limitText;
    private final Op op;
    private final Kind kind;      // of the metric
    private final Double number;  // the limit in base units, or null for a text limit
    private final String text;    // a text limit, or null
    private final boolean percent;
    private final boolean predicted; // the limit is the run's predicted window, looked up when judged

    private Expectation(String metric, String limitText, Op op, Kind kind, Double number, String text, boolean percent) {
        this(metric, limitText, op, kind, number, text, percent, false);
    }

    private Expectation(String metric, String limitText, Op op, Kind kind, Double number, String text, boolean percent, boolean predicted) {
        this.predicted = predicted;
        this.metric = metric;
        this.limitText = limitText;
        this.op = op;
        this.kind = kind;
        this.number = number;
        this.text = text;
        this.percent = percent;
    }

    public static Expectation parse(String metric, String limitText) {
        String m = metric == null ? "" : metric.trim();
        String raw = limitText == null ? "" : limitText.trim();
        if (m.isEmpty()) {
            throw new ExpectationParseException("(no metric)", raw, "an expectation needs a metric name");
        }
        Optional<String> problem = MetricCatalog.problem(m);
        if (problem.isPresent()) {
            throw new ExpectationParseException(m, raw, problem.get());
        }
        Kind kind = MetricCatalog.kindOf(m).orElseThrow();
        if (kind == Kind.NESTED || kind == Kind.LIST) {
            throw new ExpectationParseException(m, raw, "'" + m + "' is a " + (kind == Kind.LIST ? "list" : "group of metrics")
                    + ", not a value a limit can apply to");
        }
        if (raw.isEmpty()) {
            throw new ExpectationParseException(m, raw, "empty limit (write e.g. \"< 30s\", \"== 0\", \"none\")");
        }
        Matcher shape = SHAPE.matcher(raw);
        if (!shape.matches()) {
            throw new ExpectationParseException(m, raw, "cannot read '" + raw + "'");
        }
        Op op = toOp(shape.group(1));
        boolean explicitOp = shape.group(1) != null;
        String value = shape.group(2).trim();
        if (value.equals("predicted")) {
            if (kind != Kind.TIME || !explicitOp || op == Op.EQ) {
                throw new ExpectationParseException(m, raw, "'predicted' is a window of time: use it with <, <=, > or >= on a time metric");
            }
            return new Expectation(m, raw, op, kind, null, null, false, true);
        }
        Matcher num = NUMBER.matcher(value);
        if (!num.matches()) {
            return parseText(m, raw, op, explicitOp, kind, value);
        }
        double x = Double.parseDouble(num.group(1));
        String unit = num.group(2);
        Unit u = Unit.of(unit);
        if (u == null) {
            throw new ExpectationParseException(m, raw, "unknown unit '" + unit + "' in '" + raw
                    + "' (time: ms, s, m; size: B, kB, MB, GB; share: %)");
        }
        if (kind == Kind.TEXT) {
            throw new ExpectationParseException(m, raw, "'" + m + "' is text; compare it with a word, e.g. \"none\"");
        }
        if (u.kind != null && u.kind != kind) {
            throw new ExpectationParseException(m, raw, "'" + raw + "' is " + describe(u.kind) + ", but " + m + " is " + describe(kind));
        }
        if (kind == Kind.TIME && u.kind == null && x != 0) {
            throw new ExpectationParseException(m, raw, "'" + raw + "' needs a unit (ms, s or m)");
        }
        if (kind == Kind.FRACTION && u == Unit.NONE && (x < 0 || x > 1)) {
            throw new ExpectationParseException(m, raw, "a share is a fraction from 0 to 1 or a percentage; '" + raw
                    + "' is neither (did you mean " + Format.number(x) + "%?)");
        }
        if (!explicitOp && kind != Kind.COUNT && x != 0) {
            throw new ExpectationParseException(m, raw, "'" + raw + "' needs a comparison: <, <=, >, >= or ==");
        }
        return new Expectation(m, raw, op, kind, x * u.factor, null, u == Unit.PERCENT);
    }

    private static Expectation parseText(String m, String raw, Op op, boolean explicitOp, Kind kind, String value) {
        if (kind != Kind.TEXT) {
            throw new ExpectationParseException(m, raw, "'" + value + "' is not a number" + (kind == Kind.TIME ? " with a unit" : "")
                    + " (in '" + raw + "')");
        }
        if (explicitOp && op != Op.EQ) {
            throw new ExpectationParseException(m, raw, "text can only be compared with ==, not " + op.symbol + " (in '" + raw + "')");
        }
        String word = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))
                ? value.substring(1, value.length() - 1) : value;
        return new Expectation(m, raw, Op.EQ, kind, null, word, false);
    }

    private static Op toOp(String s) {
        if (s == null || s.equals("==") || s.equals("=")) {
            return Op.EQ;
        }
        return switch (s) {
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            default -> Op.GE;
        };
    }

    private static String describe(Kind k) {
        return switch (k) {
            case TIME -> "a time";
            case BYTES -> "a size in bytes";
            case FRACTION -> "a share";
            case COUNT -> "a count";
            case TEXT -> "text";
            default -> k.name().toLowerCase(Locale.ROOT);
        };
    }

    private enum Unit {
        NONE("", null, 1), MS("ms", Kind.TIME, 1 / 1000.0), S("s", Kind.TIME, 1), M("m", Kind.TIME, 60),
        MIN("min", Kind.TIME, 60), H("h", Kind.TIME, 3600),
        B("B", Kind.BYTES, 1), KB("kB", Kind.BYTES, 1024), MB("MB", Kind.BYTES, 1024 * 1024),
        GB("GB", Kind.BYTES, 1024.0 * 1024 * 1024), TB("TB", Kind.BYTES, 1024.0 * 1024 * 1024 * 1024),
        PERCENT("%", Kind.FRACTION, 1 / 100.0);

        final String symbol;
        final Kind kind;
        final double factor;

        Unit(String symbol, Kind kind, double factor) {
            this.symbol = symbol;
            this.kind = kind;
            this.factor = factor;
        }

        static Unit of(String s) {
            for (Unit u : values()) {
                if (u.symbol.equals(s)) {
                    return u;
                }
            }
            // Sizes: any case, and the IEC spellings, mean the same 1024-based units.
            String lower = s.toLowerCase(Locale.ROOT).replace("ib", "b");
            for (Unit u : List.of(KB, MB, GB, TB)) {
                if (u.symbol.toLowerCase(Locale.ROOT).equals(lower)) {
                    return u;
                }
            }
            return null;
        }
    }

    public String metric() {
        return metric;
    }

    public String limitText() {
        return limitText;
    }

    public Category category() {
        return Checkers.categoryOf(MetricCatalog.checkerOf(metric));
    }

    /**
     * Judges this expectation against a run's results. A checker that did not run or answered
     * UNKNOWN, and a missing metric, fail it as a harness error: never a pass.
     */
    public ExpectationResult evaluate(CheckResults results) {
        String checker = MetricCatalog.checkerOf(metric);
        Optional<Verdict> verdict = results.verdictOf(checker);
        if (verdict.isEmpty()) {
            return undetermined("not measured: checker " + checker + " did not run");
        }
        Optional<Object> value = MetricCatalog.lookup(results.metrics(), metric);
        if (verdict.get() == Verdict.UNKNOWN) {
            return undetermined(value.map(v -> format(v) + ", ").orElse("") + "unknown: checker " + checker + " could not judge the run");
        }
        return predicted ? judgePredicted(value, results.metrics()) : judge(value);
    }

    /** Judges against merged metrics alone (no verdicts): a missing metric fails as a harness error. */
    public ExpectationResult evaluate(Map<String, ?> metrics) {
        Optional<Object> value = MetricCatalog.lookup(metrics, metric);
        return predicted ? judgePredicted(value, metrics) : judge(value);
    }

    /** Against the predicted window's bound: {@code <checker>.predicted.<rest>.latest} (or {@code .earliest}). */
    private ExpectationResult judgePredicted(Optional<Object> value, Map<String, ?> metrics) {
        String checker = MetricCatalog.checkerOf(metric);
        String bound = op == Op.LT || op == Op.LE ? "latest" : "earliest";
        String key = checker + ".predicted." + metric.substring(checker.length() + 1) + "." + bound;
        Optional<Object> limit = MetricCatalog.lookup(metrics, key);
        if (value.isEmpty() || limit.isEmpty() || !(value.get() instanceof Number n) || !(limit.get() instanceof Number l)) {
            return undetermined(value.map(this::format).orElse("missing") + (limit.isEmpty() ? ", no prediction (" + key + ")" : ""));
        }
        String limitText = this.limitText + " (" + Format.seconds(l.doubleValue()) + ")";
        return new ExpectationResult(metric, limitText, format(n), op.test(n.doubleValue(), l.doubleValue()), category());
    }

    private ExpectationResult judge(Optional<Object> value) {
        if (value.isEmpty()) {
            return undetermined("missing");
        }
        Object v = value.get();
        if (text != null) {
            return new ExpectationResult(metric, limitText, String.valueOf(v), text.equals(String.valueOf(v)), category());
        }
        if (!(v instanceof Number n)) {
            return undetermined(format(v) + " (not a number)");
        }
        return new ExpectationResult(metric, limitText, format(v), op.test(n.doubleValue(), number), category());
    }

    private ExpectationResult undetermined(String measured) {
        return new ExpectationResult(metric, limitText, measured, false, Category.HARNESS_ERROR);
    }

    private String format(Object v) {
        if (v instanceof List<?> l) {
            return "list of " + l.size();
        }
        if (!(v instanceof Number n)) {
            return String.valueOf(v);
        }
        double x = n.doubleValue();
        return switch (kind) {
            case TIME -> Format.seconds(x);
            case BYTES -> Format.bytes(x);
            case FRACTION -> percent ? Format.percent(x) : Format.number(x);
            default -> Format.number(x);
        };
    }

    @Override
    public String toString() {
        return metric + " " + limitText;
    }
}
