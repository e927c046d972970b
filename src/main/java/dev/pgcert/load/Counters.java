package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of the load's operations, by f and by completion type; read by the progress line. */
final class Counters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    void add(String f, Event.Type type) {
        counts.computeIfAbsent(f + "." + type.name().toLowerCase(java.util.Locale.ROOT), k -> new LongAdder()).increment();
    }

    /** An operation that found every worker busy and the queue full: never sent, not recorded. */
    void dropped() {
        dropped.increment();
    }

    long total(Event.Type type) {
        String suffix = "." + type.name().toLowerCase(java.util.Locale.ROOT);
        long sum = 0;
        for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
            if (e.getKey().endsWith(suffix)) {
                sum += e.getValue().sum();
            }
        }
        return sum;
    }

    /** {"invoke": n, "ok": n, "fail": n, "info": n, "dropped": n, "write.ok": n, ...} */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Event.Type t : Event.Type.values()) {
            m.put(t.name().toLowerCase(java.util.Locale.ROOT), total(t));
        }
        m.put("dropped", dropped.sum());
        new java.util.TreeMap<>(counts).forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
