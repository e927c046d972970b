package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;

class DataLossCheckerTest {
    private final DataLossChecker checker = new DataLossChecker();

    @Test
    void everyAcknowledgedWritePresentIsValid() {
        HistoryBuilder b = history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1);   // keys 1..10
        History h = b.unknownWrite("w2", 0.5, 0.6)                                // key 11, landed
                .unknownWrite("w2", 0.7, 0.8)                                     // key 12, did not
                .finalReadOf(2.0, "pg2", k -> true, 11L).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("acknowledged", 10).containsEntry("lost", 0)
                .containsEntry("lost_keys", List.of()).containsEntry("unknown", 2).containsEntry("unknown_present", 1L)
                .containsEntry("failed_present", 0).containsEntry("final_keys", 11);
        assertThat(r.explanation()).isEqualTo("All 10 acknowledged writes are present in the final read on pg2."
                + " 2 writes had an unknown outcome, 1 of them landed.");
    }

    @Test
    void acknowledgedWritesMissingFromTheFinalReadAreLost() {
        History h = history().steadyWrites("w1", 0, 2, 0.1, "pg1", 1)           // keys 1..20
                .finalReadOf(3.0, "pg2", k -> k < 15 && k != 3).build();        // 3 and 15..20 lost
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("acknowledged", 20).containsEntry("lost", 7)
                .containsEntry("lost_keys", List.of(3L, 15L, 16L, 17L, 18L, 19L, 20L));
        assertThat(r.explanation()).startsWith("7 of 20 acknowledged writes are missing from the final read on pg2 (first: 3, 15, 16, 17, 18, ...).");
    }

    @Test
    void theListOfLostKeysIsCappedButTheCountIsExact() {
        History h = history().steadyWrites("w1", 0, 1500 * 0.01, 0.01, "pg1", 1)
                .finalRead(20.0, "pg2", List.of()).build();
        CheckResult r = checker.check(h);
        assertThat(r.metrics().get("lost")).isEqualTo(1500);
        assertThat((List<?>) r.metrics().get("lost_keys")).hasSize(DataLossChecker.MAX_LISTED)
                .isEqualTo(LongStream.rangeClosed(1, DataLossChecker.MAX_LISTED).boxed().toList());
    }

    @Test
    void aFailedWriteThatLandedAnywayIsInvalid() {
        History h = history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1)           // keys 1..10
                .failedWrite("w2", 0.5, 0.6)                                      // key 11
                .finalReadOf(2.0, "pg1", k -> true, 11L).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("lost", 0).containsEntry("failed_present", 1);
        assertThat(r.explanation()).contains("1 writes reported as failed are present anyway (first: 11)");
    }

    @Test
    void aWriteRetriedAfterAnUnknownOutcomeCountsAsAcknowledged() {
        History h = history()
                .invoke(0.0, "w1", "write", "key", 1L).info(0.1, "w1", "write", "key", 1L, "error", "timeout")
                .invoke(0.2, "w1", "write", "key", 1L).ok(0.3, "w1", "write", "key", 1L, "node", "pg1")
                .finalRead(1.0, "pg1", List.of()).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("acknowledged", 1).containsEntry("unknown", 0).containsEntry("lost", 1);
    }

    @Test
    void withoutAFinalReadLossIsUnknown() {
        CheckResult r = checker.check(history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1).build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.metrics()).isEmpty();
        assertThat(r.explanation()).contains("No final read");
    }

    @Test
    void unknownAndFailedWritesThatLandedAreRecovered() {
        HistoryBuilder b = history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1);   // keys 1..10
        History h = b.unknownWrite("w2", 0.5, 0.6)                                // key 11, landed
                .unknownWrite("w2", 0.7, 0.8)                                     // key 12, did not
                .finalReadOf(2.0, "pg2", k -> true, 11L).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("recovered", 1L).containsEntry("unexpected", 0)
                .containsEntry("unexpected_keys", List.of());
    }

    @Test
    void aKeyNoClientEverWroteIsUnexpectedAndInvalid() {
        History h = history().steadyWrites("w1", 0, 1, 0.1, "pg1", 1)           // keys 1..10
                .finalReadOf(2.0, "pg1", k -> true, 77L, 78L).build();          // 77 and 78 never attempted
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("lost", 0).containsEntry("unexpected", 2)
                .containsEntry("unexpected_keys", List.of(77L, 78L)).containsEntry("recovered", 0L);
        assertThat(r.explanation()).contains("2 keys are present that no client ever wrote (first: 77, 78)");
    }

    @Test
    void bulkBatchesAreJudgedByTheirKeyRanges() {
        History h = history()
                .invoke(0.0, "w1", "bulk", "key_from", 1L, "key_to", 100L, "rows", 100L)
                .ok(0.5, "w1", "bulk", "key_from", 1L, "key_to", 100L, "rows", 100L, "node", "pg1")
                .invoke(1.0, "w1", "bulk", "key_from", 101L, "key_to", 200L, "rows", 100L)
                .fail(1.1, "w1", "bulk", "key_from", 101L, "key_to", 200L, "rows", 100L, "error", "read-only", "sqlstate", "25006")
                .finalRead(3.0, "pg2", LongStream.rangeClosed(1, 100).filter(k -> k != 42).boxed().toList()).build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("acknowledged", 100).containsEntry("lost", 1)
                .containsEntry("lost_keys", List.of(42L)).containsEntry("unexpected", 0);
    }
}
