package dev.pgcert.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pgcert.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A run's history: every event, in time order. Immutable. Events with equal times keep the order
 * they were given in (files in argument order, lines in file order), so a sort never reorders an
 * INVOKE and its completion recorded in the same nanosecond.
 */
public final class History {
    private static final ObjectReader READER = Json.MAPPER.readerFor(Event.class);
    private final List<Event> events;
    private volatile List<Op> ops;          // derived lazily: the history never changes
    private volatile List<Window> faults;
    private volatile Optional<Window> headlineFault;
    private volatile Map<String, List<Event>> byF;

    private History(List<Event> sorted) {
        this.events = Collections.unmodifiableList(sorted);
    }

    /** A history of these events, sorted by time (stable). */
    public static History of(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::nanos)); // List.sort is stable
        return new History(sorted);
    }

    public static History of(Event... events) {
        return of(Arrays.asList(events));
    }

    /**
     * Reads and merges JSON-lines history files (as {@link HistoryWriter} writes them). A torn last
     * line (the writer's JVM was killed mid-write) is skipped; any other unreadable line is an error
     * naming the file and line.
     */
    public static History read(Path... files) throws IOException {
        List<Event> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(readFile(file));
        }
        return of(all);
    }

    private static List<Event> readFile(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            String line = in.readLine();
            while (line != null) {
                lineNo++;
                String next = in.readLine();
                if (!line.isBlank()) {
                    Event e;
                    try {
                        e = READER.readValue(line);
                    } catch (JsonProcessingException ex) {
                        if (next == null || isBlankToEnd(next, in)) {
                            break; // torn last line of a killed writer: everything before it is whole
                        }
                        throw new HistoryFormatException(file + ":" + lineNo + ": not a history event: " + ex.getOriginalMessage());
                    }
                    if (e.type() == null || e.f() == null) {
                        throw new HistoryFormatException(file + ":" + lineNo + ": event without type or f");
                    }
                    // One String per process and f name instead of one per line: histories hold millions of events.
                    events.add(new Event(e.nanos(), e.process() == null ? null : e.process().intern(), e.type(), e.f().intern(), e.value()));
                }
                line = next;
            }
        }
        return events;
    }

    private static boolean isBlankToEnd(String next, BufferedReader in) throws IOException {
        for (String l = next; l != null; l = in.readLine()) {
            if (!l.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Writes this history as one JSON-lines file (for instance the merged history of a run). */
    public void write(Path file) throws IOException {
        try (HistoryWriter w = HistoryWriter.open(file)) {
            w.appendAll(events);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public List<Event> events() {
        return events;
    }

    public Stream<Event> stream() {
        return events.stream();
    }

    public int size() {
        return events.size();
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The first event's time; 0 for an empty history. All relative times are measured from it. */
    public long startNanos() {
        return events.isEmpty() ? 0 : events.get(0).nanos();
    }

    /** The last event's time; 0 for an empty history. */
    public long endNanos() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).nanos();
    }

    /** Seconds since the history's first event: the times explanations and reports show. */
    public double seconds(long nanos) {
        return (nanos - startNanos()) / 1e9;
    }

    public History filter(Predicate<Event> p) {
        return new History(events.stream().filter(p).toList());
    }

    /** The events whose {@code f} is one of these, in time order. */
    public List<Event> byF(String... fs) {
        if (fs.length == 1) {
            return index().getOrDefault(fs[0], List.of());
        }
        Set<String> wanted = Set.of(fs);
        return events.stream().filter(e -> wanted.contains(e.f())).toList();
    }

    /** Events of this {@code f} and type. */
    public List<Event> byF(String f, Event.Type type) {
        return byF(f).stream().filter(e -> e.type() == type).toList();
    }

    private Map<String, List<Event>> index() {
        Map<String, List<Event>> cached = byF;
        if (cached == null) {
            Map<String, List<Event>> m = new HashMap<>();
            for (Event e : events) {
                m.computeIfAbsent(e.f(), k -> new ArrayList<>()).add(e);
            }
            m.replaceAll((k, v) -> Collections.unmodifiableList(v));
            cached = m;
            byF = cached;
        }
        return cached;
    }

    public Optional<Event> first(String f) {
        List<Event> of = byF(f);
        return of.isEmpty() ? Optional.empty() : Optional.of(of.get(0));
    }

    public Optional<Event> last(String f) {
        List<Event> of = byF(f);
        return of.isEmpty() ? Optional.empty() : Optional.of(of.get(of.size() - 1));
    }

    /** The last event of {@code f} at or before {@code nanos} that {@code matches}: what was last seen before then. */
    public Optional<Event> lastBefore(String f, long nanos, Predicate<Event> matches) {
        Event found = null;
        for (Event e : byF(f)) {
            if (e.nanos() > nanos) {
                break;
            }
            if (matches.test(e)) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Client operations, Jepsen's pairs: each INVOKE with the next OK/FAIL/INFO of the same process
     * and f. An INVOKE left open when its process invokes again, or when the history ends, becomes an
     * operation without completion (outcome unknown). OK and FAIL events without an INVOKE become
     * operations without invoke; INFO events without an INVOKE are observations (faults, samples),
     * not operations. Ordered by start time.
     */
    public List<Op> ops() {
        List<Op> cached = ops;
        if (cached == null) {
            cached = pairOps();
            ops = cached;
        }
        return cached;
    }

    private List<Op> pairOps() {
        List<Op> ops = new ArrayList<>();
        Map<String, Event> pending = new HashMap<>();
        for (Event e : events) {
            String process = String.valueOf(e.process());
            if (e.type() == Event.Type.INVOKE) {
                Event open = pending.put(process, e);
                if (open != null) {
                    ops.add(new Op(process, open.f(), open, null));
                }
                continue;
            }
            Event open = pending.get(process);
            if (open != null && open.f().equals(e.f())) {
                pending.remove(process);
                ops.add(new Op(process, e.f(), open, e));
            } else if (e.type() != Event.Type.INFO) {
                ops.add(new Op(process, e.f(), null, e));
            }
        }
        pending.forEach((process, open) -> ops.add(new Op(process, open.f(), open, null)));
        ops.sort(Comparator.comparingLong(Op::startNanos));
        return Collections.unmodifiableList(ops);
    }

    /** {@link #ops()} of these {@code f}s. */
    public List<Op> ops(String... fs) {
        Set<String> wanted = Set.of(fs);
        return ops().stream().filter(o -> wanted.contains(o.f())).toList();
    }

    /**
     * Fault windows, from {@code fault} events' start and end edges paired by {@code id}, ordered
     * by start. A fault never ended lasts to the end of the history; an end without a start is
     * ignored.
     */
    public List<Window> faultWindows() {
        List<Window> cached = faults;
        if (cached == null) {
            cached = windows(Event.Fn.FAULT, "kind");
            faults = cached;
        }
        return cached;
    }

    /** Scenario phases, from {@code phase} events paired by {@code id} (by {@code name} without one). */
    public List<Window> phases() {
        return windows(Event.Fn.PHASE, "name");
    }

    /**
     * The fault the headline failover figures time: the first window of a step that disrupts, skipping
     * steps whose start event says {@code disrupts: false} (maintenance mode, a configuration change, a
     * backup); the first window of any step when no step disrupts; empty without faults.
     */
    public Optional<Window> firstFault() {
        Optional<Window> cached = headlineFault;
        if (cached == null) {
            cached = headline();
            headlineFault = cached;
        }
        return cached;
    }

    private Optional<Window> headline() {
        List<Window> faults = faultWindows();
        Set<String> settingSteps = new HashSet<>();
        for (Event e : byF(Event.Fn.FAULT)) {
            if ("start".equals(Values.string(e.value(), "phase")) && Boolean.FALSE.equals(Values.bool(e.value(), "disrupts"))) {
                settingSteps.add(Values.string(e.value(), "id"));
            }
        }
        return faults.stream().filter(w -> !settingSteps.contains(w.id())).findFirst().or(() -> faults.stream().findFirst());
    }

    /** Whether {@code nanos} lies inside any fault window. */
    public boolean inFault(long nanos) {
        return faultWindows().stream().anyMatch(w -> w.contains(nanos));
    }

    private List<Window> windows(String f, String nameKey) {
        Map<String, Deque<Event>> open = new LinkedHashMap<>();
        List<Window> windows = new ArrayList<>();
        for (Event e : byF(f)) {
            String id = Values.string(e.value(), "id");
            if (id == null) {
                id = Values.string(e.value(), nameKey);
            }
            String phase = Values.string(e.value(), "phase");
            if ("start".equals(phase)) {
                open.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(e);
            } else if ("end".equals(phase)) {
                Deque<Event> starts = open.get(id);
                if (starts != null && !starts.isEmpty()) {
                    Event start = starts.removeFirst();
                    windows.add(window(id, start, nameKey, e.nanos(), true));
                }
            }
        }
        long end = endNanos();
        open.forEach((id, starts) -> starts.forEach(s -> windows.add(window(id, s, nameKey, end, false))));
        windows.sort(Comparator.comparingLong(Window::startNanos));
        return List.copyOf(windows);
    }

    private static Window window(String id, Event start, String nameKey, long endNanos, boolean ended) {
        return new Window(id, Values.string(start.value(), nameKey), Values.string(start.value(), "target"),
                start.nanos(), Math.max(endNanos, start.nanos()), ended);
    }
}
