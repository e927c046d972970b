package dev.pgcert.yaml;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping with string keys, in file order. Getters named after a type ({@link #integer},
 * {@link #size}, ...) return empty both when the key is absent and when its value is invalid; in the
 * second case a problem is recorded. {@link #required} records a missing key.
 */
public final class YamlMap extends YamlNode {

    /** One key of the mapping, with the position of the key itself (unknown-key messages point there). */
    public record Entry(String key, Location keyLocation, YamlNode value) {}

    private final Map<String, Entry> entries;

    YamlMap(String path, Location location, Problems problems, List<Entry> entries) {
        super(path, location, problems);
        this.entries = new LinkedHashMap<>();
        entries.forEach(e -> this.entries.putIfAbsent(e.key(), e));
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public Collection<Entry> entries() {
        return entries.values();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<YamlNode> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    /** Follows nested mappings: {@code find("tags", "replicatefrom")}; empty if any step is missing. */
    public Optional<YamlNode> find(String... keys) {
        YamlNode current = this;
        for (String key : keys) {
            if (!(current instanceof YamlMap map) || !map.has(key)) {
                return Optional.empty();
            }
            current = map.get(key).orElseThrow();
        }
        return Optional.of(current);
    }

    /** The path a child under {@code key} has (also when the key is missing, for messages). */
    public String childPath(String key) {
        return path().isEmpty() ? key : path() + "." + key;
    }

    /** Records an error for every key not in {@code allowed}, suggesting the closest allowed key. */
    public void allowOnly(String... allowed) {
        List<String> allowedKeys = Arrays.asList(allowed);
        for (Entry entry : entries.values()) {
            if (!allowedKeys.contains(entry.key())) {
                String hint = Suggestions.closest(entry.key(), allowedKeys)
                        .map(s -> "; did you mean '" + s + "'?")
                        .orElse(" (expected one of: " + String.join(", ", allowedKeys) + ")");
                problems().error(entry.keyLocation(), childPath(entry.key()), "unknown key '" + entry.key() + "'" + hint);
            }
        }
    }

    /** The value under {@code key}; records "missing required field" if absent. */
    public Optional<YamlNode> required(String key) {
        Optional<YamlNode> value = get(key);
        if (value.isEmpty()) {
            problems().error(location(), childPath(key), "required field is missing");
        }
        return value;
    }

    public Optional<String> string(String key) {
        return get(key).flatMap(YamlNode::asString);
    }

    public Optional<String> requiredString(String key) {
        return required(key).flatMap(YamlNode::asString);
    }

    public Optional<Integer> integer(String key, int min, int max) {
        return get(key).flatMap(v -> v.asInt(min, max));
    }

    public Optional<Long> longValue(String key, long min, long max) {
        return get(key).flatMap(v -> v.asLong(min, max));
    }

    public Optional<Double> number(String key, double min, double max) {
        return get(key).flatMap(v -> v.asDouble(min, max));
    }

    public Optional<Boolean> bool(String key) {
        return get(key).flatMap(YamlNode::asBoolean);
    }

    public Optional<Long> size(String key, long min) {
        return get(key).flatMap(v -> v.asSize(min));
    }

    public Optional<Duration> duration(String key, Duration min) {
        return get(key).flatMap(v -> v.asDuration(min));
    }

    public Optional<String> oneOf(String key, List<String> allowed) {
        return get(key).flatMap(v -> v.asOneOf(allowed));
    }

    public <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        return get(key).flatMap(v -> v.asEnum(type));
    }

    public Optional<YamlMap> map(String key) {
        return get(key).flatMap(YamlNode::asMap);
    }

    public Optional<YamlList> list(String key) {
        return get(key).flatMap(YamlNode::asList);
    }

    @Override
    public String describe() {
        return "a mapping";
    }
}
