package dev.pgcert.history;

import java.util.Map;

/**
 * A client operation: its INVOKE and its completion, paired per process as Jepsen does. Either
 * side may be missing: an operation still pending when the history ended has no completion
 * (its outcome is unknown, like INFO); a completion recorded without an INVOKE (a final read,
 * a balance sample) has no invoke.
 *
 * @param process    the recording process
 * @param f          the operation
 * @param invoke     the INVOKE event, or null
 * @param completion the OK, FAIL or INFO event, or null when it never completed
 */
public record Op(String process, String f, Event invoke, Event completion) {

    public Op {
        if (invoke == null && completion == null) {
            throw new IllegalArgumentException("an operation needs an invoke or a completion");
        }
    }

    /** OK, FAIL or INFO; INFO when it never completed. */
    public Event.Type type() {
        return completion == null ? Event.Type.INFO : completion.type();
    }

    public boolean isOk() {
        return type() == Event.Type.OK;
    }

    public boolean isFail() {
        return type() == Event.Type.FAIL;
    }

    /** Outcome unknown: INFO completion or none at all. */
    public boolean isUnknown() {
        return type() == Event.Type.INFO;
    }

    public boolean completed() {
        return completion != null;
    }

    /** When it was invoked (the completion's time when there was no INVOKE). */
    public long startNanos() {
        return invoke != null ? invoke.nanos() : completion.nanos();
    }

    /** When it completed; {@link Long#MAX_VALUE} when it never did. */
    public long endNanos() {
        return completion != null ? completion.nanos() : Long.MAX_VALUE;
    }

    /** A value key, from the completion if it has it, else from the invoke. */
    public Object get(String key) {
        if (completion != null && completion.value().containsKey(key)) {
            return completion.value().get(key);
        }
        return invoke != null ? invoke.value().get(key) : null;
    }

    /**
     * The completion's and the invoke's values, the completion's winning: a read-only view, so
     * looking one key up costs no copy.
     */
    public Map<String, Object> value() {
        if (invoke == null) {
            return completion.value();
        }
        if (completion == null) {
            return invoke.value();
        }
        return new Merged(completion.value(), invoke.value());
    }

    private static final class Merged extends java.util.AbstractMap<String, Object> {
        private final Map<String, Object> first;
        private final Map<String, Object> second;

        Merged(Map<String, Object> first, Map<String, Object> second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public Object get(Object key) {
            return first.containsKey(key) ? first.get(key) : second.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return first.containsKey(key) || second.containsKey(key);
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            var merged = new java.util.LinkedHashMap<>(second);
            merged.putAll(first);
            return java.util.Collections.unmodifiableMap(merged).entrySet();
        }
    }
}
