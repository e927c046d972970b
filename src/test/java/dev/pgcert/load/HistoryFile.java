package dev.pgcert.load;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Reads a JSON-lines history back into events, in time order, as the checkers see it (tests only). */
final class HistoryFile {

    private HistoryFile() {}

    static List<Event> read(Path file) {
        try {
            return History.read(file).events();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long number(Event e, String key) {
        return ((Number) e.value().get(key)).longValue();
    }
}
