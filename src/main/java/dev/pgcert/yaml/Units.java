package dev.pgcert.yaml;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and durations as people write them in configuration files.
 *
 * <p>Sizes: a number of bytes ({@code 1048576}) or a number with a unit: B, kB/KiB, MB/MiB, GB/GiB,
 * TB/TiB, case-insensitive. As in PostgreSQL and Patroni, the units are powers of 1024: {@code 1MB}
 * is 1,048,576 bytes, the same as {@code 1MiB}.
 *
 * <p>Durations: a number with a unit: ms, s, m (or min), h ({@code 500ms}, {@code 10s}, {@code 1.5s},
 * {@code 2m}). A bare number is refused, except 0, because the unit would be a guess.
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
    public static final String DURATION_EXAMPLES = "a duration such as 500ms, 10s or 2m";

    private Units() {}

    /** Bytes, or empty if {@code text} is not a size (negative, fractional bytes, unknown unit, too large). */
    public static Optional<Long> parseSize(String text) {
        return parse(text, SIZE_UNITS);
    }

    public static Optional<Duration> parseDuration(String text) {
        if (text.strip().equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = NUMBER_AND_UNIT.matcher(text.strip());
        if (!m.matches() || m.group(2).isEmpty()) {
            return Optional.empty();
        }
        return parse(text, DURATION_UNITS_MILLIS).map(Duration::ofMillis);
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
}
