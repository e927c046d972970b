package dev.pgcert.yaml;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node of a YAML document that knows where it is: its field path ({@code nodes[1].tags.replicatefrom})
 * and its position in the file. Typed readers ({@link #asInt}, {@link #asSize}, ...) record a
 * {@link Problem} and return empty when the value does not fit, so a loader can read on and report
 * every problem of a file at once.
 */
public abstract sealed class YamlNode permits YamlMap, YamlList, YamlScalar {

    private final String path;
    private final Location location;
    private final Problems problems;

    YamlNode(String path, Location location, Problems problems) {
        this.path = path;
        this.location = location;
        this.problems = problems;
    }

    public String path() {
        return path;
    }

    public Location location() {
        return location;
    }

    /** The problem sink of the document this node belongs to. */
    public Problems problems() {
        return problems;
    }

    public void error(String message) {
        problems.error(location, path, message);
    }

    public void warning(String message) {
        problems.warning(location, path, message);
    }

    /** What the node is, for messages: "a mapping", "a list", "'abc'", "an empty value". */
    public abstract String describe();

    /**
     * This node as plain values: a mapping as an ordered map, a list as a list, a scalar as a boolean,
     * a whole or decimal number when it reads as one, else its text; null for an empty value.
     */
    public Object plain() {
        if (this instanceof YamlMap m) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.entries().forEach(e -> out.put(e.key(), e.value().plain()));
            return out;
        }
        if (this instanceof YamlList l) {
            return l.items().stream().map(YamlNode::plain).toList();
        }
        YamlScalar scalar = (YamlScalar) this;
        if (scalar.isNull()) {
            return null;
        }
        String t = scalar.text().strip();
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        if (t.matches("-?\\d{1,18}")) {
            return Long.valueOf(t);
        }
        if (t.matches("-?\\d+\\.\\d+")) {
            return Double.valueOf(t);
        }
        return t;
    }

    public Optional<YamlMap> asMap() {
        if (this instanceof YamlMap map) {
            return Optional.of(map);
        }
        error("expected a mapping (key: value), got " + describe());
        return Optional.empty();
    }

    public Optional<YamlList> asList() {
        if (this instanceof YamlList list) {
            return Optional.of(list);
        }
        error("expected a list, got " + describe());
        return Optional.empty();
    }

    /** Any non-empty scalar, as written (numbers and booleans too). */
    public Optional<String> asString() {
        return scalarText("a text value");
    }

    public Optional<Long> asLong(long min, long max) {
        return scalarText("an integer").flatMap(text -> {
            long value;
            try {
                value = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                error("expected an integer, got '" + text + "'");
                return Optional.empty();
            }
            return inRange(value, min, max, Long.toString(value));
        });
    }

    public Optional<Integer> asInt(int min, int max) {
        return asLong(min, max).map(Long::intValue);
    }

    /** {@code true} or {@code false} (any case). YAML 1.1's yes/no/on/off are refused as ambiguous. */
    public Optional<Boolean> asBoolean() {
        return scalarText("true or false").flatMap(text -> {
            if (text.equalsIgnoreCase("true")) {
                return Optional.of(true);
            }
            if (text.equalsIgnoreCase("false")) {
                return Optional.of(false);
            }
            error("expected true or false, got '" + text + "'");
            return Optional.empty();
        });
    }

    /** Bytes; see {@link Units} for the accepted forms. */
    public Optional<Long> asSize(long min) {
        return scalarText(Units.SIZE_EXAMPLES).flatMap(text -> {
            Optional<Long> bytes = Units.parseSize(text);
            if (bytes.isEmpty()) {
                error("expected " + Units.SIZE_EXAMPLES + ", got '" + text + "'");
                return Optional.empty();
            }
            if (bytes.get() < min) {
                error("must be at least " + Units.formatSize(min) + ", got '" + text + "'");
                return Optional.empty();
            }
            return bytes;
        });
    }

    /** See {@link Units} for the one grammar; a bare number (other than 0) is refused with the same message everywhere. */
    public Optional<Duration> asDuration(Duration min) {
        return scalarText(Units.DURATION_EXAMPLES).flatMap(text -> {
            Optional<String> problem = Units.durationProblem(text);
            if (problem.isPresent()) {
                error(problem.get());
                return Optional.empty();
            }
            Duration duration = Units.parseDuration(text).orElseThrow();
            if (duration.compareTo(min) < 0) {
                error("must be at least " + Units.formatDuration(min) + ", got '" + text + "'");
                return Optional.empty();
            }
            return Optional.of(duration);
        });
    }

    /** A number (decimals allowed) from {@code min} to {@code max}. */
    public Optional<Double> asDouble(double min, double max) {
        return scalarText("a number").flatMap(text -> {
            double value;
            try {
                value = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                error("expected a number, got '" + text + "'");
                return Optional.empty();
            }
            if (!Double.isFinite(value)) {
                error("expected a number, got '" + text + "'");
                return Optional.empty();
            }
            return inRange(value, min, max, text.strip());
        });
    }

    /** One of {@code allowed} (exact, case-sensitive), with a suggestion for near misses. */
    public Optional<String> asOneOf(List<String> allowed) {
        return scalarText("one of " + String.join(", ", allowed)).flatMap(text -> {
            if (allowed.contains(text)) {
                return Optional.of(text);
            }
            error("expected one of " + String.join(", ", allowed) + ", got '" + text + "'"
                    + Suggestions.didYouMean(text, allowed));
            return Optional.empty();
        });
    }

    /** An enum constant written in lower case ({@code transaction} for {@code TRANSACTION}). */
    public <E extends Enum<E>> Optional<E> asEnum(Class<E> type) {
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList();
        return asOneOf(names).map(name -> Enum.valueOf(type, name.toUpperCase(java.util.Locale.ROOT)));
    }

    private Optional<String> scalarText(String expected) {
        if (this instanceof YamlScalar scalar) {
            if (!scalar.isNull()) {
                return Optional.of(scalar.text());
            }
        }
        error("expected " + expected + ", got " + describe());
        return Optional.empty();
    }

    private <T extends Comparable<T>> Optional<T> inRange(T value, T min, T max, String written) {
        if (value.compareTo(min) < 0) {
            error("must be at least " + min + ", got " + written);
            return Optional.empty();
        }
        if (value.compareTo(max) > 0) {
            error("must be at most " + max + ", got " + written);
            return Optional.empty();
        }
        return Optional.of(value);
    }

}
