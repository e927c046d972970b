package dev.pgcert.scenario;

import dev.pgcert.yaml.Units;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A duration or a range of them, in the grammar of {@link Units}: {@code 10s} or {@code 5s..15s}. A
 * schedule draws each cycle's value from its seeded random source, both ends included.
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

    /** Uniform in the range: in whole seconds when both ends are whole seconds (a plan reads "hold 7s"), else in milliseconds. */
    public Duration draw(RandomGenerator random) {
        long unit = min.toMillis() % 1000 == 0 && max.toMillis() % 1000 == 0 ? 1000 : 1;
        long steps = (max.toMillis() - min.toMillis()) / unit;
        return steps == 0 ? min : min.plusMillis(random.nextLong(steps + 1) * unit);
    }

    @Override
    public String toString() {
        return min.equals(max) ? Units.formatDuration(min) : Units.formatDuration(min) + ".." + Units.formatDuration(max);
    }
}
