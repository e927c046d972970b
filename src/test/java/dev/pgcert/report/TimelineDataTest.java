package dev.pgcert.report;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TimelineDataTest {

    private final List<Event> h = new ArrayList<>();

    @Test
    void countsOkOperationsPerSecondAndErrorsPerBucket() {
        op(0.10, 0.11, "w1", Event.Fn.WRITE, Event.Type.OK);
        op(0.20, 0.22, "w1", Event.Fn.WRITE, Event.Type.OK);
        op(0.30, 0.31, "r1", Event.Fn.READ, Event.Type.OK);
        op(1.10, 1.30, "w1", Event.Fn.WRITE, Event.Type.FAIL);
        op(1.40, 2.40, "w2", Event.Fn.WRITE, Event.Type.INFO);
        info(3.99, "sampler", Event.Fn.CLUSTER, Map.of());

        TimelineData d = TimelineData.of(h, Duration.ofSeconds(1));

        assertThat(d.buckets()).isEqualTo(4);
        assertThat(d.okWritesPerSecond(0)).isEqualTo(2.0);
        assertThat(d.okReadsPerSecond(0)).isEqualTo(1.0);
        assertThat(d.failed(1)).isEqualTo(1);
        assertThat(d.unknownOutcome(2)).as("INFO completion lands in the bucket it completed in").isEqualTo(1);
        assertThat(d.operations()).isEqualTo(5);
    }

    @Test
    void latencyPercentilesAreNearestRankOfOkOperationsAndNaNWhenEmpty() {
        for (int i = 1; i <= 100; i++) {
            op(0.001 * i, 0.001 * i + i / 1000.0 / 10, "w" + i, Event.Fn.WRITE, Event.Type.OK); // 0.1 .. 10 ms
        }
        info(2.5, "sampler", Event.Fn.CLUSTER, Map.of());

        TimelineData d = TimelineData.of(h, Duration.ofSeconds(1));

        assertThat(d.writeP50Millis(0)).isCloseTo(5.0, within(1e-6));
        assertThat(d.writeP99Millis(0)).isCloseTo(9.9, within(1e-6));
        assertThat(d.writeP99Millis(1)).isNaN();
        assertThat(d.readP50Millis(0)).isNaN();
    }

    @Test
    void pairsFaultAndPhaseWindowsByIdAndClosesOpenOnesAtTheEnd() {
        info(1, "nemesis", Event.Fn.PHASE, Map.of("id", "p1", "name", "warm-up", "phase", "start"));
        info(2, "nemesis", Event.Fn.FAULT, Map.of("id", "a", "kind", "kill", "target", "pg-1", "phase", "start"));
        info(3, "nemesis", Event.Fn.FAULT, Map.of("id", "b", "kind", "partition", "phase", "start"));
        info(4, "nemesis", Event.Fn.FAULT, Map.of("id", "a", "kind", "kill", "target", "pg-1", "phase", "end"));
        info(5, "nemesis", Event.Fn.PHASE, Map.of("id", "p1", "name", "warm-up", "phase", "end"));
        info(9, "sampler", Event.Fn.LEADER, Map.of("from", "pg-1", "to", "pg-2"));

        TimelineData d = TimelineData.of(h);

        assertThat(d.faults()).containsExactly(
                new TimelineData.Window("a", "kill pg-1", 1, 3, false),
                new TimelineData.Window("b", "partition", 2, 8, true));
        assertThat(d.phases()).containsExactly(new TimelineData.Window("p1", "warm-up", 0, 4, false));
        assertThat(d.leaderChanges()).containsExactly(new TimelineData.LeaderChange(8, "pg-2"));
        assertThat(d.bucketSeconds()).as("short run: fine buckets").isEqualTo(0.25);
    }

    @Test
    void lagSamplesPerReplicaSkipNullLag() {
        info(0, "sampler", Event.Fn.LAG, Map.of("replica", "pg-2", "lag_bytes", 100));
        info(1, "sampler", Event.Fn.LAG, Map.of("replica", "pg-3", "lag_bytes", 2048L));
        info(2, "sampler", Event.Fn.LAG, Map.of("replica", "pg-2")); // idle: lag columns NULL

        TimelineData d = TimelineData.of(h);

        assertThat(d.lagBytesByReplica()).containsOnlyKeys("pg-2", "pg-3");
        assertThat(d.lagBytesByReplica().get("pg-2")).containsExactly(new TimelineData.Sample(0, 100));
        assertThat(d.lagBytesByReplica().get("pg-3")).containsExactly(new TimelineData.Sample(1, 2048));
    }

    @Test
    void anInvokeWithoutCompletionIsCountedAsUnfinished() {
        op(0.1, 0.2, "w1", Event.Fn.WRITE, Event.Type.OK);
        at(0.3, "w2", Event.Type.INVOKE, Event.Fn.WRITE, Map.of("key", 7));

        assertThat(TimelineData.of(h).unfinishedOperations()).isEqualTo(1);
    }

    @Test
    void thePlotCountsTheOperationsTheCheckersJudge() {
        // w1 invokes again while its first write is open: Jepsen (and History) close the first as unknown.
        at(0.1, "w1", Event.Type.INVOKE, Event.Fn.WRITE, Map.of("key", 1));
        at(0.2, "w1", Event.Type.INVOKE, Event.Fn.WRITE, Map.of("key", 2));
        at(0.3, "w1", Event.Type.OK, Event.Fn.WRITE, Map.of("key", 2));
        History history = History.of(h);

        TimelineData d = TimelineData.of(history, Duration.ofSeconds(1));

        long completed = history.ops().stream().filter(Op::completed).count();
        long open = history.ops().stream().filter(o -> !o.completed()).count();
        assertThat(d.operations()).isEqualTo(completed).isEqualTo(1);
        assertThat(d.unfinishedOperations()).isEqualTo(open).isEqualTo(1);
        assertThat(d.writeP50Millis(0)).isCloseTo(100, within(1e-6)); // key 2's own 0.2 -> 0.3 s, not 0.1 -> 0.3 s
    }

    @Test
    void anEmptyHistoryIsRejected() {
        assertThatThrownBy(() -> TimelineData.of(List.of())).hasMessageContaining("empty history");
    }

    private void op(double invokeS, double completeS, String process, String f, Event.Type outcome) {
        at(invokeS, process, Event.Type.INVOKE, f, Map.of());
        at(completeS, process, outcome, f, Map.of());
    }

    private void info(double s, String process, String f, Map<String, Object> value) {
        at(s, process, Event.Type.INFO, f, value);
    }

    private void at(double s, String process, Event.Type type, String f, Map<String, Object> value) {
        h.add(new Event(1_000_000_000L + Math.round(s * 1e9), process, type, f, value));
    }
}
