package dev.pgcert.history;

import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Appends events to a file, one JSON object per line, and flushes each line to the operating
 * system, so a JVM that is killed loses at most the line it was writing ({@link History#read}
 * skips such a torn last line). Safe to share between threads: lines never interleave.
 *
 * <p>Every process that records (the load's child JVM, the nemesis and samplers in the test JVM)
 * opens its own file; {@link History#read(Path...)} merges them on the shared monotonic clock.
 */
public final class HistoryWriter implements AutoCloseable {
    private static final ObjectWriter JSON = HistoryJson.MAPPER.writerFor(Event.class);

    private final Path file;
    private final BufferedWriter out;
    private boolean closed;

    private HistoryWriter(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Starts {@code file} afresh (creating parent directories): one file holds one run. */
    public static HistoryWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new HistoryWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    public Path file() {
        return file;
    }

    /** Writes one event as one line. */
    public synchronized void append(Event event) {
        if (closed) {
            throw new IllegalStateException("history " + file + " is closed; event not written: " + event.f());
        }
        try {
            out.write(JSON.writeValueAsString(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes many events and flushes once: for copying a finished history, not for live recording. */
    public synchronized void appendAll(java.util.Collection<Event> events) {
        if (closed) {
            throw new IllegalStateException("history " + file + " is closed; " + events.size() + " events not written");
        }
        try {
            for (Event event : events) {
                out.write(JSON.writeValueAsString(event));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records something that happens now: the clock is read under the writer's lock, so the lines of
     * one file are in time order.
     */
    public synchronized Event record(String process, Event.Type type, String f, Map<String, Object> value) {
        Event event = new Event(System.nanoTime(), process, type, f, value);
        append(event);
        return event;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close history " + file + ": " + e.getMessage(), e);
        }
    }
}
