package dev.pgcert.check;

import dev.pgcert.history.History;
import org.junit.jupiter.api.Test;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;

class SplitBrainCheckerTest {
    private final SplitBrainChecker checker = new SplitBrainChecker();

    @Test
    void aCleanFailoverHasTwoNodesAcceptingWritesOneAfterTheOther() {
        CheckResult r = checker.check(FailoverTimeCheckerTest.killLeader().finalReadOf(50, "pg2", k -> true).build());
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("split_brain", "none").containsEntry("nodes_accepting_writes", 2)
                .containsEntry("anomalies", 0);
        assertThat(r.explanation()).contains("pg1 tl1 0.00 s-9.90 s, pg2 tl2 21.00 s-39.90 s");
    }

    @Test
    void switchingBackAndForthOnNewTimelinesIsFine() {
        History h = history()
                .steadyWrites("w1", 0, 1, 0.1, "pg1", 1)
                .steadyWrites("w1", 2, 3, 0.1, "pg2", 2)
                .steadyWrites("w1", 4, 5, 0.1, "pg1", 3)
                .build();
        assertThat(checker.check(h).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void anOldTimelineAcceptingWritesAfterTheNewOneAcknowledgedIsSplitBrain() {
        History h = history()
                .steadyWrites("w1", 0, 10, 0.1, "pg1", 1)      // the old primary never stopped
                .steadyWrites("w2", 5, 10, 0.1, "pg2", 2)      // the promoted replica acknowledged from 5.002 s
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("nodes_accepting_writes", 2);
        assertThat((String) r.metrics().get("split_brain")).startsWith(
                "pg1 accepted a write on timeline 1 invoked at 9.90 s, after pg2 had acknowledged a write on timeline 2 at 5.00 s");
    }

    @Test
    void nodeAThenBThenAAgainIsSplitBrainWhenTimelinesDoNotExplainIt() {
        History h = history()
                .write("w1", 0.0, 0.01, "pg1", null)
                .write("w1", 1.0, 1.01, "pg2", null)
                .write("w1", 2.0, 2.01, "pg1", null)
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((String) r.metrics().get("split_brain")).startsWith(
                "pg2 committed a write (1.00 s to 1.01 s) while pg1 accepted writes before and after it (0.01 s to 2.00 s)");
    }

    @Test
    void overlappingAcceptingSpansOnOneTimelineAreSplitBrain() {
        // No single write lies inside the other node's span, but both spans cover 2.0-2.5 s.
        History h = history()
                .write("a1", 0.0, 1.0, "pg1", 1L).write("a2", 3.0, 10.0, "pg1", 1L)   // pg1 certainly accepting 1.0-3.0
                .write("b1", 0.5, 2.0, "pg2", 1L).write("b2", 2.5, 11.0, "pg2", 1L)   // pg2 certainly accepting 2.0-2.5
                .build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("anomalies", 1);
        assertThat((String) r.metrics().get("split_brain")).isEqualTo(
                "pg1 (timeline 1) and pg2 (timeline 1) both accepted writes between 2.00 s and 2.50 s");
    }

    @Test
    void lostWritesOnATimelineNoElectedLeaderHeldAreSplitBrain() {
        // pg3 promoted itself to timeline 2 without the leader key, took two writes, and was rewound;
        // the DCS leader went from pg1 (timeline 1) to pg2 (timeline 3).
        var b = history()
                .leader(0.0, null, "pg1", 1L)
                .steadyWrites("w1", 0, 5, 0.1, "pg1", 1)            // keys 1..50
                .steadyWrites("w2", 5.2, 5.4, 0.1, "pg3", 2)        // keys 51, 52
                .leader(5.5, "pg1", "pg2", 3L)
                .steadyWrites("w1", 6, 8, 0.1, "pg2", 3);           // keys 53..72
        History h = b.finalReadOf(9, "pg2", k -> k != 51 && k != 52).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((String) r.metrics().get("split_brain")).isEqualTo(
                "2 writes acknowledged by pg3 on timeline 2, which no elected leader held (elected: [1, 3]), are missing from the final read");
        assertThat(r.metrics()).containsEntry("nodes_accepting_writes", 3);

        History kept = b.finalReadOf(9.5, "pg2", k -> true).build();
        assertThat(checker.check(kept).verdict()).as("the same writes present in the final read").isEqualTo(Verdict.VALID);
    }

    @Test
    void withoutNodesOnWritesSplitBrainIsUnknown() {
        History h = history().invoke(0, "w1", "write", "key", 1L).ok(0.1, "w1", "write", "key", 1L).build();
        assertThat(checker.check(h).verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
