package dev.pgcert.history;

import dev.pgcert.history.Event.Fn;
import dev.pgcert.history.Event.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static dev.pgcert.history.HistoryBuilder.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {

    @Test
    void lastBeforeIsTheLastMatchingEventAtOrBeforeThatTime() {
        History h = history()
                .info(1.0, "o", Fn.LEADER, "to", "node1")
                .info(2.0, "o", Fn.LEADER, "to", null)
                .info(3.0, "o", Fn.LEADER, "to", "node2")
                .build();

        assertThat(h.lastBefore(Fn.LEADER, ns(2.5), e -> true).map(e -> e.value().get("to"))).isEmpty(); // the 2.0 event, whose "to" is null
        assertThat(h.lastBefore(Fn.LEADER, ns(2.5), e -> e.value().get("to") != null).map(e -> e.value().get("to"))).contains("node1");
        assertThat(h.lastBefore(Fn.LEADER, ns(3.0), e -> true).map(e -> e.value().get("to"))).contains("node2");
        assertThat(h.lastBefore(Fn.LEADER, ns(0.5), e -> true)).isEmpty();
    }

    @Test
    void sortsByTimeAndKeepsGivenOrderForEqualTimes() {
        Event a = new Event(5, "w1", Type.INVOKE, Fn.WRITE, Map.of("key", 1L));
        Event b = new Event(5, "w1", Type.OK, Fn.WRITE, Map.of("key", 1L));
        Event c = new Event(3, "nemesis", Type.INFO, Fn.FAULT, Map.of());
        History h = History.of(a, b, c);
        assertThat(h.events()).containsExactly(c, a, b);
        assertThat(h.startNanos()).isEqualTo(3);
        assertThat(h.endNanos()).isEqualTo(5);
        assertThat(h.seconds(3 + 2_500_000_000L)).isEqualTo(2.5);
    }

    @Test
    void pairsInvokesWithCompletionsPerProcess() {
        History h = history()
                .invoke(1.0, "w1", Fn.WRITE, "key", 1L)
                .invoke(1.1, "w2", Fn.WRITE, "key", 2L)
                .ok(1.2, "w2", Fn.WRITE, "key", 2L, "node", "pg1")
                .fail(1.3, "w1", Fn.WRITE, "key", 1L, "error", "boom")
                .invoke(2.0, "w1", Fn.WRITE, "key", 3L)          // left open: w1 invokes again
                .invoke(3.0, "w1", Fn.READ)
                .info(3.5, "w1", Fn.READ, "error", "timeout")
                .info(4.0, "sampler", Fn.CLUSTER, "leader", "pg1")  // an observation, not an operation
                .ok(5.0, "checker", Fn.FINAL_READ, "keys", List.of(2L))
                .invoke(6.0, "w2", Fn.WRITE, "key", 4L)          // still pending at the end
                .build();

        List<Op> ops = h.ops();
        assertThat(ops).extracting(o -> o.process() + " " + o.f() + " " + o.type())
                .containsExactly("w1 write FAIL", "w2 write OK", "w1 write INFO", "w1 read INFO",
                        "checker final-read OK", "w2 write INFO");
        Op ok = ops.get(1);
        assertThat(ok.startNanos()).isEqualTo(ns(1.1));
        assertThat(ok.endNanos()).isEqualTo(ns(1.2));
        assertThat(ok.get("node")).isEqualTo("pg1");
        assertThat(ok.value()).containsEntry("key", 2L).containsEntry("node", "pg1");
        Op abandoned = ops.get(2);
        assertThat(abandoned.completed()).isFalse();
        assertThat(abandoned.isUnknown()).isTrue();
        assertThat(abandoned.endNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(abandoned.get("key")).isEqualTo(3L);
        assertThat(ops.get(4).invoke()).isNull();
        assertThat(h.ops(Fn.READ)).hasSize(1);
    }

    @Test
    void completionOfAnotherFDoesNotCloseAnInvoke() {
        History h = history()
                .invoke(1.0, "w1", Fn.WRITE, "key", 1L)
                .ok(1.5, "w1", Fn.BALANCE, "total", 100L)
                .ok(2.0, "w1", Fn.WRITE, "key", 1L)
                .build();
        assertThat(h.ops()).extracting(o -> o.f() + " " + o.type() + " " + (o.invoke() != null))
                .containsExactly("write OK true", "balance OK false");
    }

    @Test
    void pairsFaultEdgesByIdAndLetsUnendedFaultsRunToTheEnd() {
        History h = history()
                .info(1.0, "nemesis", Fn.FAULT, "id", "a", "kind", "kill", "phase", "start", "target", "pg1")
                .info(2.0, "nemesis", Fn.FAULT, "id", "b", "kind", "partition", "phase", "start", "target", "pg2")
                .info(3.0, "nemesis", Fn.FAULT, "id", "a", "kind", "kill", "phase", "end")
                .info(4.0, "nemesis", Fn.FAULT, "id", "zz", "kind", "kill", "phase", "end") // no start: ignored
                .info(9.0, "sampler", Fn.CLUSTER)
                .build();
        List<Window> faults = h.faultWindows();
        assertThat(faults).containsExactly(
                new Window("a", "kill", "pg1", ns(1), ns(3), true),
                new Window("b", "partition", "pg2", ns(2), ns(9), false));
        assertThat(h.firstFault()).contains(faults.get(0));
        assertThat(h.inFault(ns(2.5))).isTrue();
        assertThat(h.inFault(ns(0.5))).isFalse();
        assertThat(faults.get(0).durationNanos()).isEqualTo(2_000_000_000L);
    }

    @Test
    void phasesPairByIdOrName() {
        History h = history().phase("warm-up", 0, 5).phase("fault", 5, 15)
                .info(15, "scenario", Fn.PHASE, "name", "hold", "phase", "start")
                .info(20, "scenario", Fn.PHASE, "name", "hold", "phase", "end")
                .build();
        assertThat(h.phases()).extracting(Window::name, w -> h.seconds(w.startNanos()), w -> h.seconds(w.endNanos()))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("warm-up", 0.0, 5.0),
                        org.assertj.core.groups.Tuple.tuple("fault", 5.0, 15.0),
                        org.assertj.core.groups.Tuple.tuple("hold", 15.0, 20.0));
    }

    @Test
    void writerAndReaderRoundTripValuesExactly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/history.jsonl");
        Event e = new Event(Long.MAX_VALUE - 1, "sampler", Type.INFO, Fn.LAG, Map.of(
                "replica", "pg2", "lag_bytes", 12_345_678_901L, "replay_lag_ms", 1.5, "sync", true,
                "members", List.of(Map.of("name", "pg1", "timeline", 2))));
        try (HistoryWriter w = HistoryWriter.open(file)) {
            w.append(e);
        }
        History h = History.read(file);
        assertThat(h.events()).hasSize(1);
        Event back = h.events().get(0);
        assertThat(back.nanos()).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(back.type()).isEqualTo(Type.INFO);
        assertThat(back.value()).containsEntry("lag_bytes", 12_345_678_901L).containsEntry("replay_lag_ms", 1.5)
                .containsEntry("sync", true).containsEntry("members", List.of(Map.of("name", "pg1", "timeline", 2L)));
        assertThat(Values.longValue(back.value(), "lag_bytes")).isEqualTo(12_345_678_901L);
    }

    @Test
    void writerIsSafeFromManyThreadsAndLinesStayInTimeOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.jsonl");
        int threads = 4;
        int each = 500;
        try (HistoryWriter w = HistoryWriter.open(file)) {
            List<Thread> ts = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String process = "w" + t;
                Thread thread = new Thread(() -> {
                    for (long i = 0; i < each; i++) {
                        w.record(process, Type.INVOKE, Fn.WRITE, Map.of("key", i));
                    }
                });
                ts.add(thread);
                thread.start();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * each);
        History h = History.read(file);
        assertThat(h.size()).isEqualTo(threads * each);
        // record() stamps under the lock, so the file itself is already in time order.
        long previous = Long.MIN_VALUE;
        for (String line : lines) {
            long nanos = Long.parseLong(line.replaceAll("^\\{\"nanos\":(-?\\d+),.*$", "$1"));
            assertThat(nanos).isGreaterThanOrEqualTo(previous);
            previous = nanos;
        }
        for (int t = 0; t < threads; t++) {
            String process = "w" + t;
            assertThat(h.stream().filter(e -> e.process().equals(process)).map(e -> e.value().get("key")))
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, each).boxed().toList());
        }
    }

    @Test
    void writerRefusesEventsAfterClose(@TempDir Path dir) throws IOException {
        HistoryWriter w = HistoryWriter.open(dir.resolve("h.jsonl"));
        w.close();
        assertThatThrownBy(() -> w.append(new Event(1, "w1", Type.OK, Fn.WRITE, Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void readMergesFilesOnTheSharedClock(@TempDir Path dir) throws IOException {
        Path load = dir.resolve("load.jsonl");
        Path nemesis = dir.resolve("nemesis.jsonl");
        try (HistoryWriter w = HistoryWriter.open(load)) {
            w.append(new Event(10, "w1", Type.INVOKE, Fn.WRITE, Map.of("key", 1L)));
            w.append(new Event(30, "w1", Type.OK, Fn.WRITE, Map.of("key", 1L)));
        }
        try (HistoryWriter w = HistoryWriter.open(nemesis)) {
            w.append(new Event(20, "nemesis", Type.INFO, Fn.FAULT, Map.of("id", "f", "phase", "start")));
            w.append(new Event(30, "nemesis", Type.INFO, Fn.FAULT, Map.of("id", "f", "phase", "end")));
        }
        History h = History.read(load, nemesis);
        assertThat(h.events()).extracting(e -> e.nanos() + " " + e.process())
                .containsExactly("10 w1", "20 nemesis", "30 w1", "30 nemesis");
        Path merged = dir.resolve("merged.jsonl");
        h.write(merged);
        assertThat(History.read(merged).events()).isEqualTo(h.events());
    }

    @Test
    void skipsATornLastLineButNotABrokenMiddleLine(@TempDir Path dir) throws IOException {
        String good = "{\"nanos\":1,\"process\":\"w1\",\"type\":\"OK\",\"f\":\"write\",\"value\":{\"key\":1}}";
        Path torn = dir.resolve("torn.jsonl");
        Files.writeString(torn, good + "\n" + good.substring(0, 30), StandardCharsets.UTF_8);
        assertThat(History.read(torn).size()).isEqualTo(1);

        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, good + "\nnot json\n" + good + "\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> History.read(broken))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageStartingWith(broken + ":2: not a history event");

        Path noType = dir.resolve("notype.jsonl");
        Files.writeString(noType, "{\"nanos\":1,\"f\":\"write\"}\n" + good + "\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> History.read(noType)).hasMessage(noType + ":1: event without type or f");
    }

    @Test
    void keysMeetInOneFormWhateverTheirJsonType() {
        assertThat(Values.key(7)).isEqualTo(7L);
        assertThat(Values.key(7L)).isEqualTo(7L);
        assertThat(Values.key(7.0)).isEqualTo(7L);
        assertThat(Values.key("7")).isEqualTo(7L);
        assertThat(Values.key("k-7")).isEqualTo("k-7");
        assertThat(Values.key(null)).isNull();
        List<Object> keys = new java.util.ArrayList<>(List.of("b", 10L, "a", 2L));
        keys.sort(Values::compareKeys);
        assertThat(keys).containsExactly(2L, 10L, "a", "b");
    }
}
