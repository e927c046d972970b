package dev.pgcert.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fault's parameters as a scenario gives them ({@code {kind: disk-full, target: primary, fill: 90%}}).
 * Every read marks a key as known; {@link #requireAllUsed()} then rejects anything else, so a misspelt
 * parameter is an error instead of a silently ignored default.
 */
public final class FaultParams {
    private final String id;
    private final String kind;
    private final Map<String, Object> values;
    private final Set<String> known = new LinkedHashSet<>();

    public FaultParams(String id, String kind, Map<String, ?> values) {
        this.id = id;
        this.kind = kind;
        this.values = new LinkedHashMap<>(values);
    }

    public String id() {
        return id;
    }

    public Optional<String> string(String key) {
        known.add(key);
        Object v = values.get(key);
        return v == null ? Optional.empty() : Optional.of(v.toString().trim());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public Target target(String fallback) {
        try {
            return Target.parse(string("target", fallback));
        } catch (FaultException e) {
            throw error(e.getMessage());
        }
    }

    /** A percentage: {@code 90%}, {@code 90} or {@code full} (a bare number is percent, never a fraction). */
    public double percent(String key, double fallback) {
        Optional<String> s = string(key);
        if (s.isEmpty()) return fallback;
        String text = s.get().endsWith("%") ? s.get().substring(0, s.get().length() - 1).trim() : s.get();
        if (text.equalsIgnoreCase("full")) return 100;
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error(key + " '" + s.get() + "' is not a percentage (e.g. 90% or full)");
        }
    }

    /** A duration: {@code 30s}, {@code 500ms}, {@code 2m}, or a number of seconds. */
    public Duration duration(String key, Duration fallback) {
        Optional<String> s = string(key);
        if (s.isEmpty()) return fallback;
        String t = s.get().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            if (t.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
            if (t.endsWith("m")) return Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 60));
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw error(key + " '" + s.get() + "' is not a duration (e.g. 30s, 500ms, 2m)");
        }
    }

    public <T> T parse(String key, String fallback, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(string(key, fallback));
        } catch (FaultException e) {
            throw error(e.getMessage());
        }
    }

    /** Fails on any parameter that no read asked for. */
    public void requireAllUsed() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw error("unknown parameter '" + key + "'; " + kind + " takes " + String.join(", ", known));
            }
        }
    }

    public FaultException error(String message) {
        return new FaultException("fault " + id + " (" + kind + "): " + message);
    }
}
