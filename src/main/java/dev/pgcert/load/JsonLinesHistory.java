package dev.pgcert.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgcert.history.Event;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Appends {@link Event}s to a history file, one JSON object per line (fields nanos, process, type,
 * f, value). Stand-in for the project's shared history writer until it lands.
 *
 * <p>The time is read inside the lock that orders the writes, so the file's order is time order
 * across all threads; an INVOKE is stamped just before the operation starts and a completion just
 * after it ended, which keeps every recorded interval around the real one.
 */
final class JsonLinesHistory implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file is flushed on a timer and on close, not after every event. */
    private static final ObjectWriter WRITER = JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final OutputStream out;
    /** Writes straight into {@link #out}'s buffer: no byte array per event. */
    private final JsonGenerator json;
    private boolean closed;
    private long late;

    JsonLinesHistory(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            out = new BufferedOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
            json = JSON.getFactory().createGenerator(out);
            json.setRootValueSeparator(null); // lines end with '\n'; no extra space before the next one
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open history file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stamps the event with {@link System#nanoTime()} now, appends it and returns it. */
    synchronized Event record(String process, Event.Type type, String f, Map<String, Object> value) {
        Event e = new Event(System.nanoTime(), process, type, f, value);
        write(e);
        return e;
    }

    /** Appends an event that already carries its time. */
    synchronized void append(Event e) {
        write(e);
    }

    private void write(Event e) {
        if (closed) {
            late++;
            return;
        }
        try {
            WRITER.writeValue(json, e);
            json.writeRaw('\n');
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write history: " + x.getMessage(), x);
        }
    }

    synchronized void flush() {
        if (!closed) {
            try {
                json.flush();
            } catch (IOException x) {
                throw new UncheckedIOException("cannot flush history: " + x.getMessage(), x);
            }
        }
    }

    /** Events offered after {@link #close()}: they are not in the file. */
    synchronized long late() {
        return late;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            json.close();
        } catch (IOException x) {
            throw new UncheckedIOException("cannot close history: " + x.getMessage(), x);
        }
    }
}
