package dev.pgcert.report;

import dev.pgcert.history.Event;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ProgressPrinterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressPrinter printer = new ProgressPrinter(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(5), clock::get);

    @Test
    void aLineShowsPhaseRatesErrorsLeaderAndActiveFaults() {
        printer.phase("fault");
        printer.leader("pg-2");
        printer.faultStarted("f1", "kill pg-1");
        for (int i = 0; i < 100; i++) printer.completed(Event.Fn.WRITE, Event.Type.OK);
        for (int i = 0; i < 50; i++) printer.completed(Event.Fn.READ, Event.Type.OK);
        printer.completed(Event.Fn.WRITE, Event.Type.FAIL);
        printer.completed(Event.Fn.WRITE, Event.Type.INFO);
        clock.addAndGet(2_000_000_000L);

        assertThat(printer.line()).isEqualTo(
                "[   2.0 s] fault | writes 50/s reads 25/s | fail 1 (1) unknown 1 (1) | leader pg-2 | faults: kill pg-1");
    }

    @Test
    void ratesAndErrorsAreForTheLastIntervalAndTotalsAccumulate() {
        printer.completed(Event.Fn.WRITE, Event.Type.FAIL);
        clock.addAndGet(1_000_000_000L);
        printer.line();
        printer.completed(Event.Fn.TRANSFER, Event.Type.OK);
        printer.completed(Event.Fn.WRITE, Event.Type.FAIL);
        printer.completed(Event.Fn.WRITE, Event.Type.FAIL);
        clock.addAndGet(1_000_000_000L);

        assertThat(printer.line()).contains("writes 1/s").contains("fail 2 (3)");
    }

    @Test
    void historyEventsDriveTheSameCallbacks() {
        printer.accept(new Event(0, "nemesis", Event.Type.INFO, Event.Fn.PHASE, Map.of("id", "p", "name", "heal", "phase", "start")));
        printer.accept(new Event(0, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f", "kind", "partition", "phase", "start")));
        printer.accept(new Event(0, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f", "kind", "partition", "phase", "end")));
        printer.accept(new Event(0, "sampler", Event.Type.INFO, Event.Fn.LEADER, Map.of("from", "pg-1", "to", "pg-3")));
        printer.accept(new Event(0, "w1", Event.Type.INVOKE, Event.Fn.WRITE, Map.of()));
        printer.accept(new Event(0, "w1", Event.Type.INFO, Event.Fn.WRITE, Map.of("error", "timeout")));
        printer.accept(new Event(0, "sampler", Event.Type.INFO, Event.Fn.LAG, Map.of("lag_bytes", 10)));
        clock.addAndGet(1_000_000_000L);

        assertThat(printer.line()).isEqualTo(
                "[   1.0 s] heal | writes 0/s reads 0/s | fail 0 (0) unknown 1 (1) | leader pg-3");
    }

    @Test
    void onceStartedItPrintsOnItsOwnAndClosePrintsALastLine() {
        ProgressPrinter timed = ProgressPrinter.every(Duration.ofMillis(100), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        timed.phase("steady");
        try (timed) {
            timed.start();
            await("two progress lines").atMost(Duration.ofSeconds(5))
                    .until(() -> bytes.toString(StandardCharsets.UTF_8).lines().count() >= 2);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).allMatch(l -> l.contains("] steady |"));
    }

    @Test
    void aZeroIntervalIsRejected() {
        assertThatThrownBy(() -> ProgressPrinter.every(Duration.ZERO, System.out)).hasMessageContaining("positive");
    }
}
