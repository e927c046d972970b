package dev.pgcert.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One setting of a component (Patroni, PgBouncer, HAProxy) as the topology takes it: its key, its
 * type, the component versions that have it, and, when the harness must own it, why. The same
 * definition drives the validator ({@link SettingCatalog#read}) and the JSON Schema
 * ({@link TopologySchema}), so the two cannot drift.
 *
 * @param key    the key as written in the topology (snake_case, as in the component's own file)
 * @param kind   the value's type
 * @param doc    one line for the schema's description and the docs
 * @param since  the first component version that has the key ("" = every supported version)
 * @param owner  the message that refuses this key (the harness owns it, or it belongs elsewhere); null for a user setting
 * @param values for {@link Kind#ENUM}: the allowed values
 * @param min    for {@link Kind#INTEGER}: the smallest value
 * @param max    for {@link Kind#INTEGER}: the largest value
 * @param schema for {@link Kind#CUSTOM}: the JSON Schema fragment; the section reads the value itself
 */
record Setting(String key, Kind kind, String doc, String since, String owner, List<String> values, long min, long max,
               Map<String, Object> schema) {

    /** The value types of settings, each with one reading rule and one schema. */
    enum Kind {
        /** a whole number from min to max */
        INTEGER,
        /** bytes: a size such as 16MB, or a number of bytes */
        SIZE,
        /** bytes, or -1 for "off" (Patroni's maximum_lag_on_syncnode) */
        SIZE_OR_MINUS_ONE,
        /** true or false */
        BOOLEAN,
        /** a duration of the harness's one grammar (500ms, 10s, 2m) */
        DURATION,
        /** any scalar, kept as written */
        TEXT,
        /** one of {@link Setting#values} */
        ENUM,
        /** a list of text lines */
        TEXT_LIST,
        /** a mapping of text values */
        TEXT_MAP,
        /** read by its section; {@link Setting#schema} describes it */
        CUSTOM
    }

    static Setting integer(String key, long min, long max, String doc) {
        return new Setting(key, Kind.INTEGER, doc, "", null, List.of(), min, max, Map.of());
    }

    static Setting of(String key, Kind kind, String doc) {
        return new Setting(key, kind, doc, "", null, List.of(), 0, 0, Map.of());
    }

    static Setting oneOf(String key, List<String> values, String doc) {
        return new Setting(key, Kind.ENUM, doc, "", null, List.copyOf(values), 0, 0, Map.of());
    }

    static Setting custom(String key, Map<String, Object> schema, String doc) {
        return new Setting(key, Kind.CUSTOM, doc, "", null, List.of(), 0, 0, schema);
    }

    /** A key the harness sets itself: refused, with {@code reason}. */
    static Setting owned(String key, String reason) {
        return elsewhere(key, "the harness sets " + key + " itself: " + reason);
    }

    /** A key that is refused here with {@code message} (it is harness-owned, or belongs in another section). */
    static Setting elsewhere(String key, String message) {
        return new Setting(key, Kind.CUSTOM, message, "", message, List.of(), 0, 0, Map.of());
    }

    /** The same setting, present only from component version {@code version}. */
    Setting since(String version) {
        return new Setting(key, kind, doc, version, owner, values, min, max, schema);
    }

    boolean isOwned() {
        return owner != null;
    }

    Optional<String> sinceVersion() {
        return since.isEmpty() ? Optional.empty() : Optional.of(since);
    }

    /** Whether component version {@code version} (such as 3.0.2, 1.24.1) has this key. */
    boolean existsIn(String version) {
        return since.isEmpty() || Versions.atLeast(version, since);
    }
}
