package dev.pgcert.report;

import dev.pgcert.check.Stats;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's history reduced to what the timeline plot draws: per-bucket throughput, latency and
 * errors, replica lag samples, fault and phase windows and leader changes. Times are seconds since
 * the first event.
 */
public final class TimelineData {

    /** A labelled span of the run; {@code open} when its end was never recorded (drawn to the run's end). */
    public record Window(String id, String label, double startS, double endS, boolean open) {}

    public record LeaderChange(double atS, String leader) {}

    public record Sample(double atS, double value) {}

    /** Runs up to this long get 250 ms buckets, longer ones 1 s buckets. */
    static final Duration FINE_BUCKETS_UP_TO = Duration.ofSeconds(120);

    private final double bucketS;
    private final double durationS;
    private final int operations;
    private final int unfinished;
    private final double[] okWritesPerS;
    private final double[] okReadsPerS;
    private final double[] writeP50;
    private final double[] writeP99;
    private final double[] readP50;
    private final double[] readP99;
    private final int[] failed;
    private final int[] unknown;
    private final Map<String, List<Sample>> lagBytesByReplica;
    private final List<Window> faults;
    private final List<Window> phases;
    private final List<LeaderChange> leaderChanges;

    private TimelineData(Builder b) {
        this.bucketS = b.bucketS;
        this.durationS = b.durationS;
        this.operations = b.operations;
        this.unfinished = b.unfinished;
        this.okWritesPerS = b.okWritesPerS;
        this.okReadsPerS = b.okReadsPerS;
        this.writeP50 = b.writeP50;
        this.writeP99 = b.writeP99;
        this.readP50 = b.readP50;
        this.readP99 = b.readP99;
        this.failed = b.failed;
        this.unknown = b.unknown;
        this.lagBytesByReplica = b.lag;
        this.faults = b.faults;
        this.phases = b.phases;
        this.leaderChanges = b.leaders;
    }

    /** Reduces a history with the bucket width chosen from the run's length. */
    public static TimelineData of(History history) {
        return of(history, null);
    }

    /** {@link #of(History)} of these events. */
    public static TimelineData of(List<Event> events) {
        return of(History.of(events), null);
    }

    /** {@link #of(History, Duration)} of these events. */
    public static TimelineData of(List<Event> events, Duration bucket) {
        return of(History.of(events), bucket);
    }

    /**
     * Reduces a history; {@code bucket} null picks 250 ms for runs up to 2 minutes, else 1 s. The
     * operations are the history's own pairs ({@link History#ops()}), the ones the checkers judge.
     */
    public static TimelineData of(History history, Duration bucket) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("empty history: nothing to plot");
        }
        long t0 = history.startNanos();
        double durationS = seconds(history.endNanos(), t0);
        double bucketS = bucket != null ? bucket.toNanos() / 1e9
                : durationS <= FINE_BUCKETS_UP_TO.toSeconds() ? 0.25 : 1.0;
        return new Builder(t0, durationS, bucketS).operations(history.ops()).observations(history).build();
    }

    public double bucketSeconds() { return bucketS; }
    public double durationSeconds() { return durationS; }
    public int buckets() { return okWritesPerS.length; }
    /** Start of bucket {@code i}, seconds since run start. */
    public double bucketStart(int i) { return i * bucketS; }
    public int operations() { return operations; }
    /** INVOKEs that never completed: their outcome is unknown. */
    public int unfinishedOperations() { return unfinished; }
    public double okWritesPerSecond(int bucket) { return okWritesPerS[bucket]; }
    public double okReadsPerSecond(int bucket) { return okReadsPerS[bucket]; }
    /** Latency percentiles of OK operations completed in the bucket, ms; NaN when none completed. */
    public double writeP50Millis(int bucket) { return writeP50[bucket]; }
    public double writeP99Millis(int bucket) { return writeP99[bucket]; }
    public double readP50Millis(int bucket) { return readP50[bucket]; }
    public double readP99Millis(int bucket) { return readP99[bucket]; }
    public int failed(int bucket) { return failed[bucket]; }
    public int unknownOutcome(int bucket) { return unknown[bucket]; }
    public Map<String, List<Sample>> lagBytesByReplica() { return lagBytesByReplica; }
    public List<Window> faults() { return faults; }
    public List<Window> phases() { return phases; }
    public List<LeaderChange> leaderChanges() { return leaderChanges; }

    /** Which throughput line an operation counts towards. */
    private enum Kind {
        WRITE, READ, OTHER;

        static Kind of(String f) {
            return switch (f) {
                case Event.Fn.WRITE, Event.Fn.TRANSFER -> WRITE;
                case Event.Fn.READ, Event.Fn.BALANCE -> READ;
                default -> OTHER;
            };
        }
    }

    private static double seconds(long nanos, long t0) {
        return (nanos - t0) / 1e9;
    }

    private static final class Builder {
        final long t0;
        final double durationS;
        final double bucketS;
        final int n;
        int operations;
        int unfinished;
        final double[] okWritesPerS;
        final double[] okReadsPerS;
        double[] writeP50;
        double[] writeP99;
        double[] readP50;
        double[] readP99;
        final int[] failed;
        final int[] unknown;
        final Map<String, List<Sample>> lag = new TreeMap<>();
        final List<Window> faults = new ArrayList<>();
        final List<Window> phases = new ArrayList<>();
        final List<LeaderChange> leaders = new ArrayList<>();

        Builder(long t0, double durationS, double bucketS) {
            this.t0 = t0;
            this.durationS = durationS;
            this.bucketS = bucketS;
            // A last bucket under half a width is folded into the one before: a rate over a sliver
            // of time would draw a false dip (or spike) at the end of every run.
            int whole = (int) Math.floor(durationS / bucketS);
            double rest = durationS - whole * bucketS;
            this.n = Math.max(1, rest >= bucketS / 2 ? whole + 1 : whole);
            okWritesPerS = new double[n];
            okReadsPerS = new double[n];
            failed = new int[n];
            unknown = new int[n];
        }

        /**
         * Counts completed operations by the bucket they completed in. An operation that never completed
         * (its process invoked again, or the history ended) counts as unfinished; a completion without an
         * INVOKE (a final read) is counted but has no latency, and is left out unless it is a read or write.
         */
        Builder operations(List<Op> ops) {
            List<List<Double>> writeLat = emptyLists();
            List<List<Double>> readLat = emptyLists();
            for (Op op : ops) {
                if (!op.completed()) {
                    unfinished++;
                    continue;
                }
                Kind kind = Kind.of(op.f());
                boolean timed = op.invoke() != null;
                if (!timed && kind == Kind.OTHER) {
                    continue;
                }
                operations++;
                int b = bucketOf(op.endNanos());
                switch (op.type()) {
                    case FAIL -> failed[b]++;
                    case INFO -> unknown[b]++;
                    case OK -> {
                        double latencyMillis = timed ? (op.endNanos() - op.startNanos()) / 1e6 : Double.NaN;
                        if (kind == Kind.WRITE) {
                            okWritesPerS[b] += 1 / widthOf(b);
                            if (timed) writeLat.get(b).add(latencyMillis);
                        } else if (kind == Kind.READ) {
                            okReadsPerS[b] += 1 / widthOf(b);
                            if (timed) readLat.get(b).add(latencyMillis);
                        }
                    }
                    default -> { }
                }
            }
            writeP50 = percentiles(writeLat, 0.50);
            writeP99 = percentiles(writeLat, 0.99);
            readP50 = percentiles(readLat, 0.50);
            readP99 = percentiles(readLat, 0.99);
            return this;
        }

        /**
         * Leader changes and lag samples from the events; fault and phase windows as the history pairs
         * them ({@link History#faultWindows()}, {@link History#phases()}), the windows the checkers use.
         */
        Builder observations(History history) {
            for (Event e : history.byF(Event.Fn.LEADER)) {
                if (e.type() == Event.Type.INFO) leaders.add(new LeaderChange(seconds(e.nanos(), t0), text(e, "to", "none")));
            }
            for (Event e : history.byF(Event.Fn.LAG)) {
                if (e.type() == Event.Type.INFO) lagSample(e);
            }
            history.faultWindows().forEach(w -> faults.add(window(w, w.target() == null ? or(w.name(), "fault") : or(w.name(), "fault") + " " + w.target())));
            history.phases().forEach(w -> phases.add(window(w, or(w.name(), "phase"))));
            return this;
        }

        private Window window(dev.pgcert.history.Window w, String label) {
            return new Window(w.id(), label, seconds(w.startNanos(), t0), seconds(w.endNanos(), t0), !w.ended());
        }

        private static String or(String value, String fallback) {
            return value == null ? fallback : value;
        }

        TimelineData build() {
            return new TimelineData(this);
        }

        private void lagSample(Event e) {
            Object bytes = e.value().get("lag_bytes");
            if (!(bytes instanceof Number number)) return; // NULL on an idle cluster: no sample, not zero
            String replica = text(e, "replica", e.process());
            lag.computeIfAbsent(replica, r -> new ArrayList<>()).add(new Sample(seconds(e.nanos(), t0), number.doubleValue()));
        }

        /** Seconds a bucket covers: the last one runs to the end of the run (0.5 to 1.5 widths). */
        private double widthOf(int bucket) {
            double left = durationS - bucket * bucketS;
            return bucket == n - 1 && left > 0 ? left : bucketS;
        }

        private int bucketOf(long nanos) {
            return Math.min(n - 1, (int) Math.floor(seconds(nanos, t0) / bucketS));
        }

        private List<List<Double>> emptyLists() {
            List<List<Double>> lists = new ArrayList<>(n);
            for (int i = 0; i < n; i++) lists.add(new ArrayList<>());
            return lists;
        }

        /** Nearest-rank percentile per bucket ({@link Stats}); NaN for an empty bucket so the plot shows a gap. */
        private static double[] percentiles(List<List<Double>> perBucket, double p) {
            double[] out = new double[perBucket.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Stats.percentile(Stats.sorted(perBucket.get(i)), p);
            }
            return out;
        }

        private static String text(Event e, String key, String fallback) {
            Object v = e.value().get(key);
            return v == null ? fallback : v.toString();
        }
    }
}
