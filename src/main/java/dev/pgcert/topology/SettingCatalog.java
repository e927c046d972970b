package dev.pgcert.topology;

import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings of one component section, with the stack's version of that component: the one list
 * both the validator and the JSON Schema read.
 *
 * @param component the component's name in messages (Patroni, PgBouncer, HAProxy)
 * @param versionOf the component version a stack runs
 * @param settings  every key, user and harness-owned, in documentation order
 */
record SettingCatalog(String component, Function<Stack, String> versionOf, List<Setting> settings) {

    SettingCatalog {
        settings = List.copyOf(settings);
    }

    Optional<Setting> setting(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    List<String> keys() {
        return settings.stream().map(Setting::key).toList();
    }

    /** The keys a user may write on this stack (for "did you mean"). */
    List<String> userKeys(Stack stack) {
        String version = versionOf.apply(stack);
        return settings.stream().filter(s -> !s.isOwned() && s.existsIn(version)).map(Setting::key).toList();
    }

    /** "Patroni 3.0.2 (stack bookworm)". */
    String componentOf(Stack stack) {
        return component + " " + versionOf.apply(stack) + " (stack " + stack.name() + ")";
    }

    /**
     * Checks every key of {@code m} against this catalog and reads the typed values of the keys that
     * pass: an unknown key gets "did you mean", a key the stack's version lacks says from which
     * version it exists, a harness-owned key is refused with the reason, a wrong value gets its type's
     * message. {@link Setting.Kind#CUSTOM} keys are checked for existence only (their section reads them).
     *
     * @return key to value (Integer/Long, Long bytes, Boolean, Duration, String, List, Map), in file order
     */
    Map<String, Object> read(YamlMap m, Stack stack) {
        String version = versionOf.apply(stack);
        Map<String, Object> values = new LinkedHashMap<>();
        for (YamlMap.Entry entry : m.entries()) {
            String key = entry.key();
            Optional<Setting> found = setting(key);
            if (found.isEmpty()) {
                String hint = Suggestions.closest(key, userKeys(stack)).map(s -> "; did you mean '" + s + "'?")
                        .orElse(" (" + componentOf(stack) + " has no such setting; see docs/topology-format.md)");
                m.problems().error(entry.keyLocation(), m.childPath(key), "unknown key '" + key + "'" + hint);
                continue;
            }
            Setting s = found.get();
            if (s.isOwned()) {
                m.problems().error(entry.keyLocation(), m.childPath(key), s.owner());
                continue;
            }
            if (!s.existsIn(version)) {
                m.problems().error(entry.keyLocation(), m.childPath(key), key + " exists from " + component + " "
                        + s.since() + "; " + componentOf(stack) + " does not have it");
                continue;
            }
            if (s.kind() != Setting.Kind.CUSTOM) {
                value(entry.value(), s).ifPresent(v -> values.put(key, v));
            }
        }
        return values;
    }

    /** The typed value of {@code at} for {@code s}; empty (with a problem recorded) when it does not fit. */
    static Optional<Object> value(YamlNode at, Setting s) {
        return switch (s.kind()) {
            case INTEGER -> at.asLong(s.min(), s.max()).map(v -> v <= Integer.MAX_VALUE && v >= Integer.MIN_VALUE
                    ? (Object) v.intValue() : (Object) v);
            case SIZE -> at.asSize(0).map(v -> (Object) v);
            case SIZE_OR_MINUS_ONE -> at.asString().map(String::strip).flatMap(t -> t.equals("-1")
                    ? Optional.of((Object) (-1L)) : at.asSize(0).map(v -> (Object) v));
            case BOOLEAN -> at.asBoolean().map(v -> (Object) v);
            case DURATION -> at.asDuration(Duration.ZERO).map(v -> (Object) v);
            case TEXT -> at.asString().map(v -> (Object) v);
            case ENUM -> at.asOneOf(s.values()).map(v -> (Object) v);
            case TEXT_LIST -> at.asList().map(list -> {
                List<String> lines = new ArrayList<>();
                list.items().forEach(item -> item.asString().ifPresent(lines::add));
                return (Object) lines;
            });
            case TEXT_MAP -> at.asMap().map(map -> {
                Map<String, String> texts = new LinkedHashMap<>();
                map.entries().forEach(e -> e.value().asString().ifPresent(v -> texts.put(e.key(), v)));
                return (Object) texts;
            });
            case CUSTOM -> Optional.empty();
        };
    }
}
