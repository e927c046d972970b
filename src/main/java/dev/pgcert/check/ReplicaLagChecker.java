package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Values;
import dev.pgcert.history.Window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How far replicas fell behind, and how fast they caught up. A replica's lag in bytes comes from
 * {@code replay} samples (its replay position against the leader's WAL), or from the {@code lag}
 * samples of the hop into it when there are none; its lag in time from {@code replay_lag_ms} of
 * {@code lag} samples. Metrics (bytes, seconds):
 * <ul>
 * <li>{@code max_bytes}, {@code p99_bytes}, {@code max_seconds}, {@code p99_seconds}: over all replicas and the whole run;</li>
 * <li>{@code during_fault.*} and {@code after_fault.*}: the same inside fault windows, and after the last one ended;</li>
 * <li>{@code by_replica.<name>.*} and {@code by_hop.<upstream->replica>.*}: per replica, per replication hop;</li>
 * <li>{@code catch_up}: from the end of the last fault until every replica sampled after it is at or
 *     under {@code catch_up_threshold_bytes} at once. A replica still behind at the end of the history
 *     makes the verdict INVALID and {@code catch_up} runs to the end of the history.</li>
 * </ul>
 * UNKNOWN when the history has no lag samples.
 */
public final class ReplicaLagChecker implements Checker {
    public static final String NAME = "replica_lag";
    /** Under this a replica counts as caught up: what is in flight under load, far below a WAL segment. */
    public static final long DEFAULT_CATCH_UP_THRESHOLD_BYTES = 1024 * 1024;

    private final long catchUpThresholdBytes;

    public ReplicaLagChecker() {
        this(DEFAULT_CATCH_UP_THRESHOLD_BYTES);
    }

    public ReplicaLagChecker(long catchUpThresholdBytes) {
        if (catchUpThresholdBytes < 0) {
            throw new IllegalArgumentException("catch-up threshold must be >= 0 bytes, got " + catchUpThresholdBytes);
        }
        this.catchUpThresholdBytes = catchUpThresholdBytes;
    }

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.REPLICA_LAG)
            .metrics(Kind.BYTES, "max_bytes", "p99_bytes").metrics(Kind.TIME, "max_seconds", "p99_seconds")
            .metrics(Kind.COUNT, "samples").metrics(Kind.TIME, "catch_up").metrics(Kind.BYTES, "catch_up_threshold_bytes")
            .nested(Kind.COUNT, "during_fault", "after_fault", "by_replica", "by_hop");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    /** One sample: when, of which replica (or hop), bytes and/or seconds behind. */
    private record Sample(long nanos, String key, Double bytes, Double seconds) {}

    @Override
    public CheckResult check(History h) {
        List<Sample> replay = new ArrayList<>();
        for (Event e : h.byF(Event.Fn.REPLAY)) {
            String replica = Values.string(e.value(), "replica");
            Double bytes = Values.doubleValue(e.value(), "lag_bytes");
            if (replica != null && bytes != null) {
                replay.add(new Sample(e.nanos(), replica, bytes, null));
            }
        }
        List<Sample> hops = new ArrayList<>();
        List<Sample> hopsByReplica = new ArrayList<>();
        for (Event e : h.byF(Event.Fn.LAG)) {
            String replica = Values.string(e.value(), "replica");
            if (replica == null) {
                continue;
            }
            String upstream = Values.string(e.value(), "upstream");
            Double bytes = Values.doubleValue(e.value(), "lag_bytes");
            Double ms = Values.doubleValue(e.value(), "replay_lag_ms");
            Double seconds = ms == null ? null : ms / 1000.0;
            hops.add(new Sample(e.nanos(), (upstream == null ? "?" : upstream) + "->" + replica, bytes, seconds));
            hopsByReplica.add(new Sample(e.nanos(), replica, bytes, seconds));
        }
        if (replay.isEmpty() && hops.isEmpty()) {
            return CheckResult.unknown(NAME, "No replica lag samples in the history.");
        }
        // Per replica: bytes from replay samples where a replica has them, else from its hop; seconds from its hop.
        Set<String> withReplay = new HashSet<>();
        replay.forEach(s -> withReplay.add(s.key()));
        List<Sample> perReplica = new ArrayList<>(replay);
        for (Sample s : hopsByReplica) {
            boolean bytesFromHop = !withReplay.contains(s.key());
            perReplica.add(new Sample(s.nanos(), s.key(), bytesFromHop ? s.bytes() : null, s.seconds()));
        }
        perReplica.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        if (perReplica.stream().allMatch(s -> s.bytes() == null && s.seconds() == null)) {
            return CheckResult.unknown(NAME, "None of the " + (replay.size() + hops.size())
                    + " replica lag samples carried a number of bytes or seconds: the lag was never measured.");
        }

        List<Window> faults = h.faultWindows();
        Map<String, Object> m = new LinkedHashMap<>(stats(perReplica, s -> true));
        if (!faults.isEmpty()) {
            m.put("during_fault", stats(perReplica, s -> faults.stream().anyMatch(w -> w.contains(s.nanos()))));
            long lastEnd = faults.stream().mapToLong(Window::endNanos).max().orElseThrow();
            m.put("after_fault", stats(perReplica, s -> s.nanos() > lastEnd));
        }
        m.put("by_replica", grouped(perReplica, faults));
        m.put("by_hop", grouped(hops, faults));
        m.put("catch_up_threshold_bytes", catchUpThresholdBytes);

        String peak = peakSentence(perReplica);
        if (faults.isEmpty()) {
            return new CheckResult(NAME, Verdict.VALID, m, peak + " No fault in the history, so no catch-up to time.");
        }
        Window last = faults.stream().max((a, b) -> Long.compare(a.endNanos(), b.endNanos())).orElseThrow();
        if (!last.ended()) {
            return new CheckResult(NAME, Verdict.VALID, m, peak + " Fault " + last.id() + " never ended, so no catch-up to time.");
        }
        CatchUp c = catchUp(perReplica, last.endNanos());
        String threshold = Format.bytes(catchUpThresholdBytes);
        if (c.behind.isEmpty() && c.atNanos == null) {
            return new CheckResult(NAME, Verdict.VALID, m, peak + " No replica was sampled after the last fault ended at "
                    + Format.at(h.seconds(last.endNanos())) + ", so no catch-up to time.");
        }
        if (!c.behind.isEmpty()) {
            m.put("catch_up", Stats.round((h.endNanos() - last.endNanos()) / 1e9, 6));
            return new CheckResult(NAME, Verdict.INVALID, m, peak + " Replicas never caught up after the last fault ended at "
                    + Format.at(h.seconds(last.endNanos())) + ": still behind at the end of the history: " + describe(c.behind) + ".");
        }
        double catchUp = (c.atNanos - last.endNanos()) / 1e9;
        m.put("catch_up", Stats.round(catchUp, 6));
        return new CheckResult(NAME, Verdict.VALID, m, peak + " All replicas were within " + threshold + " "
                + Format.seconds(catchUp) + " after the last fault ended at " + Format.at(h.seconds(last.endNanos())) + ".");
    }

    private record CatchUp(Long atNanos, Map<String, Double> behind) {}

    private CatchUp catchUp(List<Sample> perReplica, long from) {
        List<Sample> after = perReplica.stream().filter(s -> s.nanos() > from && s.bytes() != null).toList();
        Set<String> replicas = new HashSet<>();
        after.forEach(s -> replicas.add(s.key()));
        Map<String, Double> latest = new HashMap<>();
        Long at = null;
        for (Sample s : after) {
            latest.put(s.key(), s.bytes());
            if (at == null && latest.size() == replicas.size()
                    && latest.values().stream().allMatch(b -> b <= catchUpThresholdBytes)) {
                at = s.nanos();
            }
        }
        Map<String, Double> behind = new TreeMap<>();
        latest.forEach((r, b) -> {
            if (b > catchUpThresholdBytes) {
                behind.put(r, b);
            }
        });
        return new CatchUp(behind.isEmpty() ? at : null, behind);
    }

    private static String describe(Map<String, Double> behind) {
        List<String> parts = new ArrayList<>();
        behind.forEach((r, b) -> parts.add(r + " " + Format.bytes(b)));
        return String.join(", ", parts);
    }

    private static String peakSentence(List<Sample> samples) {
        Sample byBytes = null;
        Sample bySeconds = null;
        for (Sample s : samples) {
            if (s.bytes() != null && (byBytes == null || s.bytes() > byBytes.bytes())) {
                byBytes = s;
            }
            if (s.seconds() != null && (bySeconds == null || s.seconds() > bySeconds.seconds())) {
                bySeconds = s;
            }
        }
        StringBuilder t = new StringBuilder("Replica lag peaked at ");
        t.append(byBytes == null ? "unknown bytes" : Format.bytes(byBytes.bytes()) + " (" + byBytes.key() + ")");
        if (bySeconds != null) {
            t.append(" and ").append(Format.seconds(bySeconds.seconds())).append(" of replay (").append(bySeconds.key()).append(")");
        }
        return t.append('.').toString();
    }

    private static Map<String, Object> grouped(List<Sample> samples, List<Window> faults) {
        Map<String, List<Sample>> byKey = new TreeMap<>();
        samples.forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        Map<String, Object> out = new LinkedHashMap<>();
        long lastEnd = faults.stream().mapToLong(Window::endNanos).max().orElse(Long.MAX_VALUE);
        byKey.forEach((k, list) -> {
            Map<String, Object> m = new LinkedHashMap<>(stats(list, s -> true));
            if (!faults.isEmpty()) {
                m.put("during_fault", stats(list, s -> faults.stream().anyMatch(w -> w.contains(s.nanos()))));
                m.put("after_fault", stats(list, s -> s.nanos() > lastEnd));
            }
            out.put(k, m);
        });
        return out;
    }

    private static Map<String, Object> stats(List<Sample> samples, Predicate<Sample> which) {
        List<Double> bytes = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (Sample s : samples) {
            if (which.test(s)) {
                if (s.bytes() != null) {
                    bytes.add(s.bytes());
                }
                if (s.seconds() != null) {
                    seconds.add(s.seconds());
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        double[] b = Stats.putPeak(m, "bytes", bytes, true);
        double[] t = Stats.putPeak(m, "seconds", seconds, false);
        m.put("samples", Math.max(b.length, t.length));
        return m;
    }
}
