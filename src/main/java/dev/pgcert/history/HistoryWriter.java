package dev.pgcert.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgcert.json.Json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;

/**
 * The one writer of history files: one JSON object per line (fields nanos, process, type, f, value),
 * as {@link History#read} reads them. Safe to share between threads: lines never interleave, and
 * {@link #record} reads the clock under the writer's lock, so a file's order is time order.
 *
 * <p>Every process that records (the load's child JVM, the nemesis and samplers in the test JVM)
 * opens its own file; {@link History#read(Path...)} merges them on the shared monotonic clock. Two
 * ways to open one:
 * <ul>
 *   <li>{@link #open}: a fresh file, each line flushed to the operating system as it is written, so a
 *       killed JVM loses at most the line it was writing (History skips a torn last line); writing
 *       after {@link #close()} is an error. For the harness's few events.</li>
 *   <li>{@link #buffered}: appends, flushed on {@link #flush()} and on close, for the load's many
 *       events; events offered after close are counted ({@link #late()}), not written, since the
 *       load's workers may still finish an operation while the load stops.</li>
 * </ul>
 */
public final class HistoryWriter implements AutoCloseable {
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(Event.class)
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Path file;
    private final OutputStream out;
    /** Writes straight into {@link #out}'s buffer: no byte array per event. */
    private final JsonGenerator json;
    private final boolean flushEachLine;
    private boolean closed;
    private long late;

    private HistoryWriter(Path file, boolean append, boolean flushEachLine) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.file = file;
        this.flushEachLine = flushEachLine;
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), 1 << 16);
        this.json = Json.MAPPER.getFactory().createGenerator(out);
        json.setRootValueSeparator(null); // lines end with '\n'; no extra space before the next one
    }

    /** Starts {@code file} afresh (creating parent directories), flushing every line: one file holds one run. */
    public static HistoryWriter open(Path file) throws IOException {
        return new HistoryWriter(file, false, true);
    }

    /** Appends to {@code file} (creating it), flushing on {@link #flush()} and close; late events are counted. */
    public static HistoryWriter buffered(Path file) {
        try {
            return new HistoryWriter(file, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open history file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Writes one event, which already carries its time, as one line. */
    public synchronized void append(Event event) {
        if (refuseLate(1)) {
            return;
        }
        write(event);
        flushIfEachLine();
    }

    /** Writes many events and flushes once: for copying a finished history, not for live recording. */
    public synchronized void appendAll(Collection<Event> events) {
        if (refuseLate(events.size())) {
            return;
        }
        events.forEach(this::write);
        flushIfEachLine();
    }

    /** Records something that happens now: stamps the event with {@link System#nanoTime()}, appends and returns it. */
    public synchronized Event record(String process, Event.Type type, String f, Map<String, Object> value) {
        Event event = new Event(System.nanoTime(), process, type, f, value);
        append(event);
        return event;
    }

    /** Hands what is buffered to the operating system. */
    public synchronized void flush() {
        if (!closed) {
            try {
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot flush history " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Events offered after {@link #close()} to a {@link #buffered} writer: they are not in the file. */
    public synchronized long late() {
        return late;
    }

    private boolean refuseLate(int events) {
        if (!closed) {
            return false;
        }
        if (flushEachLine) {
            throw new IllegalStateException("history " + file + " is closed; " + events + " event(s) not written");
        }
        late += events;
        return true;
    }

    private void write(Event event) {
        try {
            WRITER.writeValue(json, event);
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    private void flushIfEachLine() {
        if (flushEachLine) {
            flush();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close history " + file + ": " + e.getMessage(), e);
        }
    }
}
