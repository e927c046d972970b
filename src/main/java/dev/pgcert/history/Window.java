package dev.pgcert.history;

/**
 * A span of the run between a start and an end edge with the same id: a fault, or a scenario
 * phase. A window that was started and never ended lasts until the end of the history.
 *
 * @param id     the edges' id
 * @param name   the fault's {@code kind}, or the phase's {@code name}
 * @param target the fault's target (null for phases or when not given)
 * @param startNanos the start edge
 * @param endNanos   the end edge, or the history's last event when it never ended
 * @param ended      whether an end edge was recorded
 */
public record Window(String id, String name, String target, long startNanos, long endNanos, boolean ended) {

    /** Inclusive at both edges. */
    public boolean contains(long nanos) {
        return nanos >= startNanos && nanos <= endNanos;
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }
}
