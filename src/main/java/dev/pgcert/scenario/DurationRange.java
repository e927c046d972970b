package dev.pgcert.scenario;

import dev.pgcert.yaml.Units;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A duration or a range of them, in the grammar of {@link Units}: {@code 10s} or {@code 5s..15s}. A
 * schedule draws each cycle's value from its seeded random source, in whole milliseconds, both ends
 * included.
 */
public record DurationRange(Duration min, Duration max) {

    public DurationRange {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(Units.formatDuration(min) + ".." + Units.formatDuration(max)
                    + ": the range ends before it starts");
        }
    }

    public static DurationRange exactly(Duration d) {
        return new DurationRange(d, d);
    }

    /** @throws IllegalArgumentException with what is wrong, in the words of {@link Units} */
    public static DurationRange parse(String text) {
        String t = text.strip();
        int dots = t.indexOf("..");
        if (dots < 0) {
            return exactly(one(t));
        }
        return new DurationRange(one(t.substring(0, dots).strip()), one(t.substring(dots + 2).strip()));
    }

    private static Duration one(String text) {
        Optional<String> problem = Units.durationProblem(text);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get() + " (a range is written 5s..15s)");
        }
        return Units.parseDuration(text).orElseThrow();
    }

    public Duration draw(RandomGenerator random) {
        long span = max.toMillis() - min.toMillis();
        return span == 0 ? min : min.plusMillis(random.nextLong(span + 1));
    }

    @Override
    public String toString() {
        return min.equals(max) ? Units.formatDuration(min) : Units.formatDuration(min) + ".." + Units.formatDuration(max);
    }
}
