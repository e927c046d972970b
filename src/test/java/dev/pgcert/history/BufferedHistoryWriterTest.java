package dev.pgcert.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferedHistoryWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesOneEventPerLineInTimeOrderAndAppends() throws Exception {
        Path file = dir.resolve("h.jsonl");
        try (HistoryWriter h = HistoryWriter.buffered(file)) {
            h.record("w0", Event.Type.INVOKE, Event.Fn.WRITE, Map.of("key", 1L, "endpoint", "rw"));
            h.record("w0", Event.Type.OK, Event.Fn.WRITE, Map.of("key", 1L, "node", "n1", "timeline", 2));
        }
        try (HistoryWriter h = HistoryWriter.buffered(file)) { // a second writer appends
            h.append(new Event(System.nanoTime(), "final", Event.Type.OK, Event.Fn.FINAL_READ, Map.of("keys", List.of(1L))));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"nanos\":").endsWith("}"));
        assertThat(lines.get(0)).contains("\"process\":\"w0\",\"type\":\"INVOKE\",\"f\":\"write\",\"value\":{");
        List<Event> events = History.read(file).events();
        assertThat(events).extracting(Event::type).containsExactly(Event.Type.INVOKE, Event.Type.OK, Event.Type.OK);
        assertThat(events.get(0).nanos()).isLessThanOrEqualTo(events.get(1).nanos());
        assertThat(events.get(1).nanos()).isLessThanOrEqualTo(events.get(2).nanos());
        assertThat(events.get(1).value()).containsEntry("node", "n1").containsEntry("timeline", 2L);
    }

    @Test
    void eventsAfterCloseAreCountedNotWritten() throws Exception {
        Path file = dir.resolve("h.jsonl");
        HistoryWriter h = HistoryWriter.buffered(file);
        h.close();
        h.record("w0", Event.Type.INVOKE, Event.Fn.WRITE, Map.of());
        assertThat(h.late()).isEqualTo(1);
        assertThat(Files.readAllLines(file)).isEmpty();
    }
}
