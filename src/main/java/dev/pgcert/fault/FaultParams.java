package dev.pgcert.fault;

import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A fault's parameters as a scenario gives them ({@code {kind: disk-full, target: primary, fill: 90%}}),
 * read from the YAML nodes so every problem carries its line and column. A value that does not fit is
 * recorded on its node and the default is used, so one reading reports every mistake. Every read marks
 * a key as known; {@link #rejectUnknown()} then reports anything else, with a "did you mean".
 */
public final class FaultParams {
    private final String id;
    private final String kind;
    private final YamlMap values;
    private final Set<String> known = new LinkedHashSet<>();
    private final int errorsBefore;

    /** @param values the fault's mapping, {@code kind} included (it is the registry's to read) */
    public FaultParams(String id, String kind, YamlMap values) {
        this.id = id;
        this.kind = kind;
        this.values = values;
        this.errorsBefore = values.problems().errorCount();
        known.add("kind");
    }

    /**
     * Keys a scenario's phase reads on every fault, not the fault itself: {@code id} (the name a later
     * {@code heal:} uses) and {@code duration} (healed after it while the phase goes on).
     */
    public static final Set<String> STEP_KEYS = Set.of("id", "duration");

    /**
     * Whether a read so far recorded an error: a factory then skips checks that span several values,
     * which would only repeat the mistake at the fault's line (the fault is not built anyway).
     */
    public boolean failed() {
        return values.problems().errorCount() > errorsBefore;
    }

    public String id() {
        return id;
    }

    /** Whether the scenario gives {@code key} (the key counts as known). */
    public boolean has(String key) {
        known.add(key);
        return values.has(key);
    }

    public Optional<String> string(String key) {
        known.add(key);
        return values.string(key).map(String::strip);
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public Target target(String fallback) {
        return parse("target", fallback, Target::parse);
    }

    /** A duration in the grammar of {@link dev.pgcert.yaml.Units} ({@code 30s}, {@code 500ms}, {@code 2m}); a bare number is refused. */
    public Duration duration(String key, Duration fallback) {
        known.add(key);
        return values.duration(key, Duration.ZERO).orElse(fallback);
    }

    /**
     * A mapping as plain values (nested maps, lists, numbers, booleans, strings), e.g. the keys a
     * {@code config} action patches; empty when absent or not a mapping (that is recorded on its node).
     */
    public java.util.Map<String, Object> mapping(String key) {
        known.add(key);
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        values.map(key).ifPresent(m -> m.entries().forEach(e -> out.put(e.key(), e.value().plain())));
        return out;
    }

    /** A whole number from {@code min} to {@code max}. */
    public long whole(String key, long fallback, long min, long max) {
        known.add(key);
        return values.longValue(key, min, max).orElse(fallback);
    }

    /** A percentage from 0 to 100: {@code 90%}, {@code 90} or {@code full} (a bare number is percent, never a fraction). */
    public double percent(String key, double fallback) {
        return parse(key, null, text -> {
            String t = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
            if (t.equalsIgnoreCase("full")) {
                return 100.0;
            }
            double value;
            try {
                value = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new FaultException("'" + text + "' is not a percentage (e.g. 90% or full)");
            }
            if (value <= 0 || value > 100) {
                throw new FaultException("must be more than 0% and at most 100%, got " + text);
            }
            return value;
        }, fallback);
    }

    /** A value that must be given: its absence is recorded on the fault's mapping; empty when absent or wrong. */
    public <T> Optional<T> required(String key, Function<String, T> parser) {
        known.add(key);
        if (values.required(key).isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(parse(key, null, parser, null));
    }

    /** The value under {@code key} (or {@code fallback}) through {@code parser}; a {@link FaultException} becomes a problem at the value. */
    public <T> T parse(String key, String fallback, Function<String, T> parser) {
        return parse(key, fallback, parser, null);
    }

    private <T> T parse(String key, String fallbackText, Function<String, T> parser, T fallbackValue) {
        known.add(key);
        Optional<YamlNode> node = values.get(key);
        Optional<String> text = node.flatMap(YamlNode::asString).map(String::strip);
        if (text.isPresent()) {
            try {
                return parser.apply(text.get());
            } catch (FaultException | IllegalArgumentException e) {
                node.get().error(e.getMessage());
            }
        }
        return fallbackText == null ? fallbackValue : parser.apply(fallbackText);
    }

    /**
     * A list of lists of names ({@code groups: [[node1], [node2, node3, etcd]]}); each item that is not
     * a list of non-empty texts is recorded on its own node. Empty when the key is absent or wrong.
     */
    public Optional<java.util.List<java.util.List<String>>> listOfLists(String key) {
        known.add(key);
        Optional<YamlNode> node = values.get(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Optional<dev.pgcert.yaml.YamlList> outer = node.get().asList();
        if (outer.isEmpty()) {
            return Optional.empty();
        }
        java.util.List<java.util.List<String>> result = new java.util.ArrayList<>();
        boolean ok = true;
        for (YamlNode item : outer.get().items()) {
            Optional<dev.pgcert.yaml.YamlList> inner = item.asList();
            if (inner.isEmpty()) {
                ok = false;
                continue;
            }
            if (inner.get().size() == 0) {
                item.error("an empty group");
                ok = false;
                continue;
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            for (YamlNode name : inner.get().items()) {
                Optional<String> text = name.asString().map(String::strip);
                if (text.isEmpty()) {
                    ok = false;
                } else {
                    names.add(text.get());
                }
            }
            result.add(names);
        }
        return ok ? Optional.of(result) : Optional.empty();
    }

    /** The node under {@code key}, for a check that spans several values (its problems go on that node). */
    public Optional<YamlNode> node(String key) {
        known.add(key);
        return values.get(key);
    }

    /** The fault's own mapping, for a problem that no single parameter carries. */
    public YamlMap spec() {
        return values;
    }

    /** Records every parameter that no read asked for, suggesting the nearest one this kind takes. */
    public void rejectUnknown() {
        for (YamlMap.Entry e : values.entries()) {
            if (!known.contains(e.key()) && !STEP_KEYS.contains(e.key())) {
                Set<String> takes = new LinkedHashSet<>(known);
                takes.remove("kind");
                String hint = Suggestions.closest(e.key(), takes).map(s -> "; did you mean '" + s + "'?")
                        .orElse(takes.isEmpty() ? "; " + kind + " takes no parameters" : "; " + kind + " takes " + String.join(", ", takes));
                values.problems().error(e.keyLocation(), values.childPath(e.key()), "unknown parameter '" + e.key() + "'" + hint);
            }
        }
    }
}
