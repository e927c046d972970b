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
 * <p>A time limit may follow the design instead of fixing a number (docs/units.md, "Limits that follow
 * the design"): {@code [op] term (+|- term)...}, op one of {@code < <= > >=}, each term a duration
 * ({@code 2s}), a Patroni setting of the topology as its stack really runs it ({@code ttl},
 * {@code loop_wait}, {@code retry_timeout}, each optionally times a number: {@code 2 * ttl}), or, once and
 * added, the word {@code predicted}: {@code failover_time.dcs: "<= ttl + loop_wait + 2s"},
 * {@code failover_time.probe: "<= predicted"}. The settings are bound when the scenario is read with its
 * topology (Patroni 4.0.7 runs {@code ttl: 10} as 20, so the same limit is 10 s longer on trixie);
 * {@code predicted} is the window the run's settings predict ({@code failover_time.predicted.<metric>}),
 * looked up when the run is judged: its latest bound for {@code <} and {@code <=}, its earliest for
 * {@code >} and {@code >=}.
 *
 * <p>Two bounds on one metric make a range ({@link #parseRange}): {@code ">= 1s, < 5s"} (two limits
 * joined by a comma, each in the grammar above; both must hold) or {@code "1s..5s"} (both ends
 * included: {@code >= 1s, <= 5s}).
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
    private final boolean predicted; // the limit is the run's predicted window (+ number), looked up when judged
    private final boolean design;    // the limit names settings of the design: show what it came to

    /** The settings of the design a limit may name, in seconds: Patroni's, as the topology's stack runs them. */
    public static final java.util.List<String> DESIGN_SETTINGS = java.util.List.of("ttl", "loop_wait", "retry_timeout");
    private static final Pattern SETTING_TERM = Pattern.compile("^(?:(\\d+(?:\\.\\d+)?)\\s*\\*\\s*)?([a-z_]+)$");

    private final List<Expectation> bounds; // a range: every bound must hold; empty for a single limit

    private Expectation(String metric, String limitText, Op op, Kind kind, Double number, String text, boolean percent) {
        this(metric, limitText, op, kind, number, text, percent, false);
    }

    private Expectation(String metric, String limitText, List<Expectation> bounds) {
        this.metric = metric;
        this.limitText = limitText;
        this.op = null;
        this.kind = bounds.get(0).kind;
        this.number = null;
        this.text = null;
        this.percent = false;
        this.predicted = false;
        this.design = false;
        this.bounds = List.copyOf(bounds);
    }

    private Expectation(String metric, String limitText, Op op, Kind kind, Double number, String text, boolean percent, boolean predicted) {
        this(metric, limitText, op, kind, number, text, percent, predicted, false);
    }

    private Expectation(String metric, String limitText, Op op, Kind kind, Double number, String text, boolean percent, boolean predicted,
                        boolean design) {
        this.predicted = predicted;
        this.design = design;
        this.metric = metric;
        this.limitText = limitText;
        this.op = op;
        this.kind = kind;
        this.number = number;
        this.text = text;
        this.percent = percent;
        this.bounds = List.of();
    }

    /** A limit that names no setting of the design (a name such as {@code ttl} is an error here). */
    public static Expectation parse(String metric, String limitText) {
        return parse(metric, limitText, Map.of());
    }

    /**
     * @param settings the design's settings a limit may name ({@link #DESIGN_SETTINGS}), in seconds, as the
     *                 topology's stack runs them; a setting missing from it is an error at the limit
     */
    public static Expectation parse(String metric, String limitText, Map<String, Double> settings) {
        String m = metric == null ? "" : metric.trim();
        String raw = limitText == null ? "" : limitText.trim();
        Optional<Expectation> range = parseRange(m, raw, settings);
        if (range.isPresent()) {
            return range.get();
        }
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
        Matcher num = NUMBER.matcher(value);
        boolean plain = num.matches() && Unit.of(num.group(2)) != null;
        if (!plain && (value.contains("predicted") || isExpression(value))) {
            return parseDesign(m, raw, op, explicitOp, kind, value, settings);
        }
        if (!num.matches() || kind == Kind.TEXT && Unit.of(num.group(2)) == null) {
            // text that starts with a digit ("2 (node2,node3)") is text for a text metric, not a number with a bad unit
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

    /** Whether {@code value} is a sum of terms or names a setting: {@code ttl + 2s}, {@code 2 * ttl}. */
    private static boolean isExpression(String value) {
        return value.matches(".*\\S\\s*[+-]\\s*\\S.*") || value.contains("*") || SETTING_TERM.matcher(value).matches()
                && DESIGN_SETTINGS.contains(SETTING_TERM.matcher(value).replaceAll("$2"));
    }

    /** {@code term (+|- term)...}: durations, settings of the design ({@code [k *] name}) and at most one {@code predicted}. */
    private static Expectation parseDesign(String m, String raw, Op op, boolean explicitOp, Kind kind, String value,
                                           Map<String, Double> settings) {
        String terms = "a term is a duration (2s), a setting of the design (" + String.join(", ", DESIGN_SETTINGS)
                + ", optionally times a number: 2 * ttl) or predicted";
        if (kind != Kind.TIME) {
            throw new ExpectationParseException(m, raw, "'" + value + "' is a time (the design's settings and 'predicted' are times), but "
                    + m + " is " + describe(kind));
        }
        if (!explicitOp || op == Op.EQ) {
            throw new ExpectationParseException(m, raw, "'" + value + "' follows the design's timing: use it with <, <=, > or >= (in '" + raw + "')");
        }
        double constant = 0;
        int predicted = 0;
        boolean named = false;
        Matcher t = Pattern.compile("\\s*([+-]?)\\s*([^+-]+)").matcher(value);
        int at = 0;
        boolean first = true;
        while (at < value.length() && t.find(at) && t.start() == at) {
            String sign = t.group(1);
            String term = t.group(2).trim();
            if (!first && sign.isEmpty() || term.isEmpty()) {
                throw new ExpectationParseException(m, raw, "cannot read '" + value + "': " + terms);
            }
            double factor = sign.equals("-") ? -1 : 1;
            Matcher setting = SETTING_TERM.matcher(term);
            Matcher number = NUMBER.matcher(term);
            if (term.equals("predicted")) {
                if (factor < 0 || ++predicted > 1) {
                    throw new ExpectationParseException(m, raw, "'predicted' may stand once and be added to, not subtracted (in '" + raw + "')");
                }
            } else if (setting.matches()) {
                String name = setting.group(2);
                if (!DESIGN_SETTINGS.contains(name)) {
                    throw new ExpectationParseException(m, raw, "'" + name + "' is not a setting a limit can name"
                            + dev.pgcert.yaml.Suggestions.didYouMean(name, DESIGN_SETTINGS) + " (" + terms + ")");
                }
                Double seconds = settings.get(name);
                if (seconds == null) {
                    throw new ExpectationParseException(m, raw, "'" + name + "' is a setting of the topology, which is not known here");
                }
                constant += factor * (setting.group(1) == null ? 1 : Double.parseDouble(setting.group(1))) * seconds;
                named = true;
            } else if (number.matches() && Unit.of(number.group(2)) != null
                    && (Unit.of(number.group(2)).kind == Kind.TIME || Unit.of(number.group(2)) == Unit.NONE && Double.parseDouble(number.group(1)) == 0)) {
                constant += factor * Double.parseDouble(number.group(1)) * Unit.of(number.group(2)).factor;
            } else {
                throw new ExpectationParseException(m, raw, "cannot read '" + term + "' in '" + raw + "': " + terms);
            }
            first = false;
            at = t.end();
        }
        if (at < value.length()) {
            throw new ExpectationParseException(m, raw, "cannot read '" + value.substring(at).trim() + "' in '" + raw + "': " + terms);
        }
        return new Expectation(m, raw, op, kind, constant, null, false, predicted > 0, named);
    }

    /**
     * A range, or empty when {@code raw} is a single limit: {@code ">= 1s, < 5s"} (each part a limit with
     * its own comparison, one lower and one upper) or {@code "1s..5s"} (both ends included).
     */
    static Optional<Expectation> parseRange(String m, String raw, Map<String, Double> settings) {
        if (MetricCatalog.kindOf(m).map(k -> k == Kind.TEXT).orElse(true)) {
            return Optional.empty(); // text (a comma may be part of it) or no metric: parse() says what is wrong
        }
        String lowText;
        String highText;
        int dots = raw.indexOf("..");
        int comma = raw.indexOf(',');
        if (dots > 0 && comma < 0) {
            lowText = ">= " + raw.substring(0, dots).trim();
            highText = "<= " + raw.substring(dots + 2).trim();
        } else if (comma > 0 && dots < 0) {
            lowText = raw.substring(0, comma).trim();
            highText = raw.substring(comma + 1).trim();
        } else if (comma < 0 && dots < 0) {
            return Optional.empty();
        } else {
            throw new ExpectationParseException(m, raw, "a range is \">= 1s, < 5s\" or \"1s..5s\", not both forms at once");
        }
        if (lowText.contains(",") || highText.contains(",") || highText.contains("..")) {
            throw new ExpectationParseException(m, raw, "a range has two bounds, not more");
        }
        Expectation low = parse(m, lowText, settings);
        Expectation high = parse(m, highText, settings);
        if (low.kind == Kind.TEXT || low.text != null || high.text != null) {
            throw new ExpectationParseException(m, raw, "a range needs a number on both ends, not text");
        }
        boolean lowIsLower = low.op == Op.GT || low.op == Op.GE;
        boolean highIsUpper = high.op == Op.LT || high.op == Op.LE;
        if (!lowIsLower || !highIsUpper) {
            throw new ExpectationParseException(m, raw, "a range is a lower bound (> or >=) then an upper bound (< or <=)");
        }
        if (!low.predicted && !high.predicted && low.number > high.number) {
            throw new ExpectationParseException(m, raw, "the range is empty: its lower bound is above its upper bound");
        }
        return Optional.of(new Expectation(m, raw, List.of(low, high)));
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
        if (!bounds.isEmpty()) {
            return both(bounds.stream().map(b -> b.evaluate(results)).toList());
        }
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
        if (!bounds.isEmpty()) {
            return both(bounds.stream().map(b -> b.evaluate(metrics)).toList());
        }
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
        double limitAt = l.doubleValue() + (number == null ? 0 : number);
        String limitText = this.limitText + " (" + Format.seconds(limitAt) + ")";
        return new ExpectationResult(metric, limitText, format(n), op.test(n.doubleValue(), limitAt), category());
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
        String shown = design ? limitText + " (" + Format.seconds(number) + ")" : limitText;
        return new ExpectationResult(metric, shown, format(v), op.test(n.doubleValue(), number), category());
    }

    /** A range's result: passed when every bound passed; the measured value as its first bound showed it. */
    private ExpectationResult both(List<ExpectationResult> parts) {
        ExpectationResult first = parts.get(0);
        ExpectationResult failed = parts.stream().filter(r -> !r.passed()).findFirst().orElse(null);
        if (failed == null) {
            return new ExpectationResult(metric, limitText, first.measured(), true, category());
        }
        return new ExpectationResult(metric, limitText, failed.measured(), false, failed.category());
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
