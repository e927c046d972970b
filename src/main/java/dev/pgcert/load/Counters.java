package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of the load's operations, by f and by completion type; read by the progress line. */
final class Counters {

    private static final Event.Type[] TYPES = Event.Type.values();

    /** Per f, one adder per {@link Event.Type} ordinal. */
    private final Map<String, LongAdder[]> counts = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    void add(String f, Event.Type type) {
        counts.computeIfAbsent(f, k -> {
            LongAdder[] a = new LongAdder[TYPES.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = new LongAdder();
            }
            return a;
        })[type.ordinal()].increment();
    }

    /** An operation that found every worker busy and the queue full: never sent, not recorded. */
    void dropped() {
        dropped.increment();
    }

    long total(Event.Type type) {
        long sum = 0;
        for (LongAdder[] a : counts.values()) {
            sum += a[type.ordinal()].sum();
        }
        return sum;
    }

    /** {"invoke": n, "ok": n, "fail": n, "info": n, "dropped": n, "read.ok": n, "write.fail": n, ...} */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Event.Type t : TYPES) {
            m.put(name(t), total(t));
        }
        m.put("dropped", dropped.sum());
        new TreeMap<>(counts).forEach((f, a) -> {
            for (Event.Type t : TYPES) {
                m.put(f + "." + name(t), a[t.ordinal()].sum());
            }
        });
        return m;
    }

    private static String name(Event.Type t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
