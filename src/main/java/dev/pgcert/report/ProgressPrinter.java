package dev.pgcert.report;

import dev.pgcert.history.Event;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One console line every few seconds while a scenario runs, e.g.
 * {@code [  42.0 s] fault | writes 812/s reads 1,604/s | fail 12 (37) unknown 1 (1) | leader pg-2 | faults: kill pg-1}.
 * Rates and error counts are for the last interval, totals in parentheses. The runner feeds it
 * through the callbacks below (or hands it every history event via {@link #accept(Event)}); they are
 * cheap and thread-safe, so load workers may call them directly.
 */
public final class ProgressPrinter implements Consumer<Event>, AutoCloseable {

    private final PrintStream out;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final LongAdder okWrites = new LongAdder();
    private final LongAdder okReads = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final Map<String, String> activeFaults = new ConcurrentHashMap<>();
    private long failedTotal;
    private long unknownTotal;
    private long lastLineNanos;
    private volatile String phase = "-";
    private volatile String leader = "?";
    private ScheduledExecutorService timer;

    ProgressPrinter(PrintStream out, Duration interval, LongSupplier nanoTime) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("progress interval must be positive, got " + interval);
        }
        this.out = out;
        this.interval = interval;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastLineNanos = startNanos;
    }

    /** A printer to {@code out}, one line per {@code interval} once {@link #start()} is called. */
    public static ProgressPrinter every(Duration interval, PrintStream out) {
        return new ProgressPrinter(out, interval, System::nanoTime);
    }

    public ProgressPrinter start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pgcert-progress");
                t.setDaemon(true); // never keeps a finished run's JVM alive
                return t;
            });
            long ms = interval.toMillis();
            timer.scheduleAtFixedRate(this::printLine, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public void phase(String name) {
        phase = name;
    }

    public void leader(String name) {
        leader = name == null ? "none" : name;
    }

    public void faultStarted(String id, String label) {
        activeFaults.put(id, label);
    }

    public void faultEnded(String id) {
        activeFaults.remove(id);
    }

    /** A client operation completed; {@code f} is {@link Event.Fn#WRITE}, {@link Event.Fn#READ}, ... */
    public void completed(String f, Event.Type outcome) {
        switch (outcome) {
            case OK -> {
                Operation.Kind kind = Operation.Kind.of(f);
                if (kind == Operation.Kind.WRITE) okWrites.increment();
                else if (kind == Operation.Kind.READ) okReads.increment();
            }
            case FAIL -> failed.increment();
            case INFO -> unknown.increment();
            default -> { }
        }
    }

    /**
     * Routes a history event to the callbacks: completions of client operations, phase and fault
     * edges, leader changes. INFO events with an {@code f} of a client operation count as unknown
     * outcomes; other INFO events are observations.
     */
    @Override
    public void accept(Event e) {
        switch (e.f()) {
            case Event.Fn.PHASE -> {
                if ("start".equals(e.value().get("phase"))) phase(String.valueOf(e.value().get("name")));
            }
            case Event.Fn.FAULT -> {
                String id = String.valueOf(e.value().get("id"));
                if ("end".equals(e.value().get("phase"))) faultEnded(id);
                else faultStarted(id, e.value().get("kind") + (e.value().get("target") == null ? "" : " " + e.value().get("target")));
            }
            case Event.Fn.LEADER -> leader((String) e.value().get("to"));
            default -> {
                if (e.type() != Event.Type.INVOKE && Operation.Kind.of(e.f()) != Operation.Kind.OTHER) completed(e.f(), e.type());
            }
        }
    }

    /** Prints the line for the interval since the last one and starts a new interval. */
    public synchronized void printLine() {
        out.println(line());
    }

    synchronized String line() {
        long now = nanoTime.getAsLong();
        double elapsedS = Math.max(1e-9, (now - lastLineNanos) / 1e9);
        lastLineNanos = now;
        long fails = failed.sumThenReset();
        long unknowns = unknown.sumThenReset();
        failedTotal += fails;
        unknownTotal += unknowns;
        String faults = activeFaults.isEmpty() ? "" : " | faults: " + String.join(", ", activeFaults.values());
        return String.format(Locale.ROOT, "[%6.1f s] %s | writes %,.0f/s reads %,.0f/s | fail %d (%d) unknown %d (%d) | leader %s%s",
                (now - startNanos) / 1e9, phase,
                okWrites.sumThenReset() / elapsedS, okReads.sumThenReset() / elapsedS,
                fails, failedTotal, unknowns, unknownTotal, leader, faults);
    }

    /** Stops the timer and prints a last line for the final partial interval. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        printLine();
    }
}
