package dev.pgcert.report;

import dev.pgcert.history.Event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client operation: an INVOKE paired with its completion. A completion recorded without an
 * INVOKE (a sampler's OK read) has {@code invokeNanos == completeNanos} and no latency.
 *
 * @param outcome OK, FAIL or INFO (unknown outcome)
 */
record Operation(String process, String f, long invokeNanos, long completeNanos, Event.Type outcome, boolean timed) {

    double latencyMillis() {
        return (completeNanos - invokeNanos) / 1e6;
    }

    /** What the pairing found: completed operations and INVOKEs still open when the history ended. */
    record Paired(List<Operation> completed, int unfinished) {}

    /**
     * Pairs each process's INVOKE with that process's next completion, as in Jepsen: a process has at
     * most one operation in flight. INFO events of processes with nothing in flight (faults, samples)
     * are observations, not completions, and are skipped.
     */
    static Paired pair(List<Event> history) {
        Map<String, Event> inFlight = new HashMap<>();
        List<Operation> completed = new ArrayList<>();
        for (Event e : history) {
            if (e.type() == Event.Type.INVOKE) {
                inFlight.put(e.process(), e);
                continue;
            }
            Event invoke = inFlight.get(e.process());
            if (invoke != null && invoke.f().equals(e.f())) {
                inFlight.remove(e.process());
                completed.add(new Operation(e.process(), e.f(), invoke.nanos(), e.nanos(), e.type(), true));
            } else if (e.type() != Event.Type.INFO && isClientOperation(e.f())) {
                completed.add(new Operation(e.process(), e.f(), e.nanos(), e.nanos(), e.type(), false));
            }
        }
        return new Paired(completed, inFlight.size());
    }

    private static boolean isClientOperation(String f) {
        return Kind.of(f) != Kind.OTHER;
    }

    /** Which throughput line an operation counts towards. */
    enum Kind {
        WRITE, READ, OTHER;

        static Kind of(String f) {
            return switch (f) {
                case Event.Fn.WRITE, Event.Fn.TRANSFER -> WRITE;
                case Event.Fn.READ, Event.Fn.BALANCE -> READ;
                default -> OTHER;
            };
        }
    }

    Kind kind() {
        return Kind.of(f);
    }
}
