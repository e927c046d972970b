package dev.pgcert.fault;

import dev.pgcert.history.Event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the edges of a fault window go. {@link Nemesis} calls it once when a fault starts and once when
 * it is healed; {@link #toHistory} turns that into the history's {@code fault} events.
 */
@FunctionalInterface
public interface FaultRecorder {
    String START = "start";
    String END = "end";

    /**
     * @param nanos  {@link System#nanoTime()} of the edge
     * @param phase  {@link #START} or {@link #END}
     * @param extra  what to add to the fault's own detail (timings, an error)
     */
    void record(long nanos, Fault fault, String phase, Map<String, Object> extra);

    static FaultRecorder none() {
        return (nanos, fault, phase, extra) -> { };
    }

    /** INFO events {@code f="fault"}, value {@code {id, kind, phase, target, detail[, disrupts: false]}}, process "nemesis". */
    static FaultRecorder toHistory(Consumer<Event> sink) {
        return (nanos, fault, phase, extra) -> {
            Map<String, Object> detail = new LinkedHashMap<>(fault.detail());
            detail.putAll(extra);
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("id", fault.id());
            value.put("kind", fault.kind());
            value.put("phase", phase);
            value.put("target", fault.target());
            value.put("detail", detail);
            if (!fault.disrupts()) {
                value.put("disrupts", false); // written only when false: older histories read as disrupting
            }
            sink.accept(new Event(nanos, "nemesis", Event.Type.INFO, Event.Fn.FAULT, value));
        };
    }
}
