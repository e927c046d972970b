package dev.pgcert.history;

import dev.pgcert.history.Event.Fn;
import dev.pgcert.history.Event.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load runs in a child JVM that writes its own history file; merged with the parent's file the
 * events must fall in true order, which holds because System.nanoTime is one host-wide clock.
 */
class ChildJvmHistoryTest {

    /** The child: writes {@code count} events to {@code args[0]}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (HistoryWriter w = HistoryWriter.open(Path.of(args[0]))) {
                for (long i = 0; i < Long.parseLong(args[1]); i++) {
                    w.record("child", Type.INFO, "tick", Map.of("i", i));
                }
            }
        }
    }

    @Test
    void childJvmEventsMergeBetweenTheParentsBeforeAndAfter(@TempDir Path dir) throws Exception {
        Path parentFile = dir.resolve("parent.jsonl");
        Path childFile = dir.resolve("child.jsonl");
        try (HistoryWriter parent = HistoryWriter.open(parentFile)) {
            parent.record("parent", Type.INFO, Fn.PHASE, Map.of("name", "before"));
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Child.class.getName(), childFile.toString(), "100")
                    .inheritIO().start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
            assertThat(p.exitValue()).isZero();
            parent.record("parent", Type.INFO, Fn.PHASE, Map.of("name", "after"));
        }
        History h = History.read(childFile, parentFile);
        List<String> order = h.stream().map(e -> e.process().equals("parent") ? (String) e.value().get("name") : "child").distinct().toList();
        assertThat(order).containsExactly("before", "child", "after");
        assertThat(h.size()).isEqualTo(102);
    }
}
