package dev.pgcert.yaml;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar for sizes and durations in every file the harness reads (topologies, scenarios,
 * the load, fault parameters). Described for users in {@code docs/units.md}.
 *
 * <p>Durations: {@code <number><unit>}, the unit one of {@code ms}, {@code s}, {@code m} or
 * {@code min}, {@code h}, case-insensitive, decimals allowed, a space between allowed:
 * {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 2min}, {@code 1h}. A bare number is
 * refused everywhere, except {@code 0}, because its unit would be a guess: {@code 90} gets "90 has no
 * unit: write 90s (or 500ms, 2m, 1h)". Keys that mirror Patroni's own settings ({@code ttl},
 * {@code loop_wait}, {@code retry_timeout}) are integers of seconds, as in {@code patroni.yml}; they
 * are not durations of this grammar.
 *
 * <p>Sizes: a number of bytes ({@code 1048576}) or a number with a unit: B, kB/KiB, MB/MiB, GB/GiB,
 * TB/TiB, case-insensitive. As in PostgreSQL and Patroni, the units are powers of 1024: {@code 1MB}
 * is 1,048,576 bytes, the same as {@code 1MiB}.
 */
public final class Units {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

    private static final Map<String, Long> SIZE_UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("kb", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("mb", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("gb", 1L << 30), Map.entry("gib", 1L << 30),
            Map.entry("tb", 1L << 40), Map.entry("tib", 1L << 40));

    private static final Map<String, Long> DURATION_UNITS_MILLIS = Map.of(
            "ms", 1L, "s", 1_000L, "m", 60_000L, "min", 60_000L, "h", 3_600_000L);

    public static final String SIZE_EXAMPLES = "a size such as 16MB, 1GiB or a number of bytes";
    public static final String DURATION_EXAMPLES = "a duration such as 500ms, 10s, 2m or 1h";

    private Units() {}

    /** Bytes, or empty if {@code text} is not a size (negative, fractional bytes, unknown unit, too large). */
    public static Optional<Long> parseSize(String text) {
        return parse(text, SIZE_UNITS);
    }

    /** The duration, or empty when {@code text} is not one ({@link #durationProblem} says why). */
    public static Optional<Duration> parseDuration(String text) {
        if (durationProblem(text).isPresent()) {
            return Optional.empty();
        }
        return text.strip().equals("0") ? Optional.of(Duration.ZERO) : parse(text, DURATION_UNITS_MILLIS).map(Duration::ofMillis);
    }

    /** Why {@code text} is not a duration, in the words every field uses; empty when it is one. */
    public static Optional<String> durationProblem(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Optional.empty();
        }
        Matcher m = NUMBER_AND_UNIT.matcher(t);
        if (m.matches() && m.group(2).isEmpty()) {
            return Optional.of(t + " has no unit: write " + t + "s (or 500ms, 2m, 1h)");
        }
        if (!m.matches() || !DURATION_UNITS_MILLIS.containsKey(m.group(2).toLowerCase(Locale.ROOT))) {
            return Optional.of("expected " + DURATION_EXAMPLES + ", got '" + text + "'");
        }
        if (parse(t, DURATION_UNITS_MILLIS).isEmpty()) {
            return Optional.of("'" + text + "' is finer than a millisecond or too long");
        }
        return Optional.empty();
    }

    private static Optional<Long> parse(String text, Map<String, Long> units) {
        Matcher m = NUMBER_AND_UNIT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        Long factor = units.get(m.group(2).toLowerCase(Locale.ROOT));
        if (factor == null) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
        try {
            return Optional.of(value.longValueExact());
        } catch (ArithmeticException notWholeOrTooLarge) {
            return Optional.empty();
        }
    }

    /** A size as people read it: {@code 16MB}, {@code 1GB}, {@code 1536kB}, {@code 100B}. */
    public static String formatSize(long bytes) {
        String[] names = {"TB", "GB", "MB", "kB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < names.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + names[i];
            }
        }
        return bytes + "B";
    }

    /** A duration in this grammar, in the largest unit that keeps it exact: {@code 1500ms}, {@code 2m}, {@code 1h}, {@code 0}. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
