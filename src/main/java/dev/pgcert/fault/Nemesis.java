package dev.pgcert.fault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts faults, records their windows, and remembers every fault it started until it is healed, so
 * that {@link #healAll()} (or {@link #close()} in a try-with-resources) undoes everything, also after
 * a failure halfway through a scenario.
 *
 * <p>Window edges, on {@link System#nanoTime()}: a fault's start is recorded with the time just
 * before it was injected, its end with the time its heal returned. The window thus covers every
 * moment the fault may have acted, which is what a checker needs to tell expected errors from others.
 */
public final class Nemesis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);

    private final FaultContext context;
    private final List<Fault> active = new ArrayList<>();
    private final List<Fault> started = new ArrayList<>();

    public Nemesis(FaultContext context) {
        this.context = context;
    }

    public FaultContext context() {
        return context;
    }

    /** Injects the fault; on failure it is still kept for heal (a start may fail halfway). */
    public Fault start(Fault fault) {
        long begin = System.nanoTime();
        synchronized (this) {
            active.add(fault);
            started.add(fault);
        }
        try {
            fault.start(context);
        } catch (RuntimeException e) {
            context.recorder().record(begin, fault, FaultRecorder.START, Map.of("error", String.valueOf(e.getMessage())));
            throw e;
        }
        long injectedIn = System.nanoTime() - begin;
        context.recorder().record(begin, fault, FaultRecorder.START, Map.of("inject_ms", injectedIn / 1_000_000, "returned_nanos", begin + injectedIn));
        LOG.info("fault started: {} {}", fault.id(), fault.describe());
        return fault;
    }

    /**
     * Heals one fault; a fault that is not active is left alone. Two heals of one fault at once (a fault's
     * own {@code duration:} running out as its phase heals everything) heal it once and record one end.
     */
    public void heal(Fault fault) {
        synchronized (fault) {
            synchronized (this) {
                if (!active.contains(fault)) {
                    return;
                }
            }
            long begin = System.nanoTime();
            try {
                fault.heal(context);
            } catch (RuntimeException e) {
                context.recorder().record(System.nanoTime(), fault, FaultRecorder.END, Map.of("error", String.valueOf(e.getMessage())));
                throw e;
            }
            long end = System.nanoTime();
            synchronized (this) {
                active.remove(fault);
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("heal_ms", (end - begin) / 1_000_000);
            context.recorder().record(end, fault, FaultRecorder.END, extra);
            LOG.info("fault healed: {} {} {}", fault.id(), fault.kind(), fault.target());
        }
    }

    /**
     * Heals every active fault, newest first (a partition set up after a kill is lifted before the
     * node starts again). Every heal is tried even when one fails; the failures come out together.
     */
    public void healAll() {
        List<Fault> toHeal;
        synchronized (this) {
            toHeal = new ArrayList<>(active);
        }
        java.util.Collections.reverse(toHeal);
        List<RuntimeException> failures = new ArrayList<>();
        for (Fault f : toHeal) {
            try {
                heal(f);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            FaultException e = new FaultException("healing " + failures.size() + " fault(s) failed: " + failures.get(0).getMessage());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    public synchronized List<Fault> active() {
        return List.copyOf(active);
    }

    /** Every fault started through this nemesis, in order. */
    public synchronized List<Fault> started() {
        return List.copyOf(started);
    }

    @Override
    public void close() {
        healAll();
    }
}
