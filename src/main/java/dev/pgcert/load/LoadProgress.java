package dev.pgcert.load;

import java.util.Map;

/**
 * The load's counts so far, from the load JVM's latest progress line.
 *
 * @param nanos           when the line was written (host monotonic clock); 0 before the first line
 * @param invoked         operations started
 * @param ok              operations acknowledged
 * @param fail            operations that surely had no effect
 * @param info            operations whose outcome is unknown
 * @param dropped         operations never sent because every worker was busy and the queue full
 * @param okPerSecond     acknowledged operations per second since the previous line
 * @param errorsPerSecond FAIL and INFO per second since the previous line
 * @param counts          the same by operation, keyed "write.ok", "read.fail", ...
 */
public record LoadProgress(long nanos, long invoked, long ok, long fail, long info, long dropped,
                           double okPerSecond, double errorsPerSecond, Map<String, Long> counts) {

    public static final LoadProgress NONE = new LoadProgress(0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public long errors() {
        return fail + info;
    }

    /** A count from {@link #counts()}, e.g. {@code count("write", "ok")}; 0 if none yet. */
    public long count(String f, String type) {
        return counts.getOrDefault(f + "." + type, 0L);
    }

    static LoadProgress next(LoadProgress previous, long nanos, Map<String, Long> counts) {
        long ok = counts.getOrDefault("ok", 0L);
        long errors = counts.getOrDefault("fail", 0L) + counts.getOrDefault("info", 0L);
        double seconds = previous.nanos == 0 ? 0 : (nanos - previous.nanos) / 1e9;
        double okRate = seconds > 0 ? (ok - previous.ok) / seconds : 0;
        double errorRate = seconds > 0 ? (errors - previous.errors()) / seconds : 0;
        return new LoadProgress(nanos, counts.getOrDefault("invoke", 0L), ok, counts.getOrDefault("fail", 0L),
                counts.getOrDefault("info", 0L), counts.getOrDefault("dropped", 0L), okRate, errorRate, Map.copyOf(counts));
    }

    @Override
    public String toString() {
        return String.format("invoked=%d ok=%d fail=%d info=%d dropped=%d ok/s=%.1f errors/s=%.1f",
                invoked, ok, fail, info, dropped, okPerSecond, errorsPerSecond);
    }
}
