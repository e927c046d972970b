package dev.pgcert.check;

import static dev.pgcert.history.HistoryBuilder.history;
import static dev.pgcert.history.HistoryBuilder.kv;
import static dev.pgcert.history.HistoryBuilder.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pgcert.history.Event;
import dev.pgcert.history.HistoryBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The backup checker on hand-made histories: a whole-cluster restore, point-in-time restores exact and not, archive lag. */
class BackupCheckerTest {

    private final BackupChecker checker = new BackupChecker();

    /** A backup step's start event, as the nemesis records it (detail with returned_nanos). */
    static HistoryBuilder step(HistoryBuilder b, double at, double returnedAt, String id, String kind, Object... detail) {
        Map<String, Object> d = kv(detail);
        d.put("returned_nanos", ns(returnedAt));
        return b.event(at, "nemesis", Event.Type.INFO, Event.Fn.FAULT, "id", id, "kind", kind, "phase", "start",
                "target", "node1", "detail", d);
    }

    /**
     * Writes every 0.1 s from 1 s to 10 s (keys 1..90, key k invoked at 0.9 + 0.1 k), a full backup at 2 s, every
     * node destroyed at 10 s, a restore from 11 s (old data gone at 11.5 s, leader 25 s into the step), writes failing
     * until 40 s and acknowledged again from 41 s (keys 91..95).
     */
    static HistoryBuilder wholeCluster() {
        HistoryBuilder b = history().steadyWrites("w1", 1, 10, 0.1, "node1", 1);
        step(b, 2, 3, "backup-1", "backup", "type", "full", "command_ms", 1200L, "database_bytes", 30_000_000L,
                "repo_bytes", 3_000_000L);
        step(b, 10, 10.3, "disaster-destroy-cluster-2", "destroy-cluster");
        step(b, 11, 40, "restore-restore-3", "restore", "to", "latest", "destroyed_nanos", ns(11.5),
                "restore_begin_ms", 1000L, "restore_end_ms", 5000L, "promoted_ms", 20000L, "leader_ms", 25000L);
        b.failingWrites("w1", 10, 41, 0.5);
        return b.steadyWrites("w1", 41, 41.5, 0.1, "node1", 2);
    }

    @Test
    void aWholeClusterRestoreHasItsRpoWithTheLostKeysAndItsRto() {
        // The archive had everything up to 7.95 s: keys 1..70 (invoked up to 7.9 s) survived, 71..90 were lost.
        CheckResult r = checker.check(wholeCluster().finalReadOf(50, "node1", k -> k <= 70 || k > 90).build());

        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.VALID);
        assertThat((double) r.metrics().get("rpo")).isCloseTo(10 - 7.902, within(1e-6));
        assertThat(r.metrics().get("lost")).isEqualTo(20);
        assertThat(r.metrics().get("lost_keys")).isEqualTo(LongStream.rangeClosed(71, 90).boxed().toList());
        assertThat((double) r.metrics().get("rto")).isCloseTo(41.002 - 10, within(1e-6));
        @SuppressWarnings("unchecked")
        Map<String, Object> stages = (Map<String, Object>) r.metrics().get("stages");
        assertThat(stages).containsEntry("restore", 4.0).containsEntry("replay", 15.0).containsEntry("patroni", 5.0);
        assertThat((double) stages.get("routing")).isCloseTo(41.002 - 11 - 25, within(1e-6));
        assertThat(r.metrics()).containsEntry("backups", 1).containsEntry("duration", 1.2)
                .containsEntry("size", 30_000_000L).containsEntry("repo_size", 3_000_000L);
        assertThat(r.explanation()).contains("RPO 2.1 s").contains("20 of 90 acknowledged writes were lost (first: 71, 72");
    }

    @Test
    void theRpoLimitFailsUnderTheBackupCategoryWhenTooMuchWasLost() {
        // Only the writes of the first two seconds survived: the archive lost 8 s.
        CheckResults results = new CheckResults(List.of(
                checker.check(wholeCluster().finalReadOf(50, "node1", k -> k <= 10 || k > 90).build())));

        ExpectationResult rpo = Expectation.parse("backup.rpo", "< 5s").evaluate(results);
        ExpectationResult rto = Expectation.parse("backup.rto", "< 1h").evaluate(results);

        assertThat(rpo.passed()).as(rpo.measured()).isFalse();
        assertThat(rpo.category()).isEqualTo(Category.BACKUP);
        assertThat(rto.passed()).isTrue();
    }

    @Test
    void nothingSurvivingHasNoRpoButEveryLostKey() {
        CheckResult r = checker.check(wholeCluster().finalReadOf(50, "node1", k -> k > 90).build());
        assertThat(r.metrics()).doesNotContainKey("rpo").containsEntry("lost", 90);
        ExpectationResult rpo = Expectation.parse("backup.rpo", "< 5m").evaluate(new CheckResults(List.of(r)));
        assertThat(rpo.passed()).isFalse();
    }

    @Test
    void aRestoreWithoutAFinalReadIsUnknown() {
        CheckResult r = checker.check(wholeCluster().build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.explanation()).contains("no final read");
    }

    @Test
    void noWriteAfterTheRestoreLeavesTheRtoUnmeasured() {
        HistoryBuilder b = history().steadyWrites("w1", 1, 10, 0.1, "node1", 1);
        step(b, 10, 10.3, "d", "destroy-cluster");
        step(b, 11, 40, "r", "restore", "to", "latest", "destroyed_nanos", ns(11.5));
        CheckResult r = checker.check(b.failingWrites("w1", 10, 60, 0.5).finalReadOf(70, "node1", k -> true).build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.metrics()).doesNotContainKey("rto").containsEntry("lost", 0);
    }

    /**
     * Writes every 0.1 s from 1 s to 8 s (keys 1..70); the restore point is made at 5.00-5.01 s and the ledger
     * deleted at 5.02 s; a restore to the point starts at 8 s.
     */
    static HistoryBuilder pitr() {
        HistoryBuilder b = history().steadyWrites("w1", 1, 8, 0.1, "node1", 1);
        step(b, 5.0, 5.02, "mistake-bad-statement-1", "bad-statement", "point_begin_nanos", ns(5.0),
                "point_end_nanos", ns(5.01), "restore_point", "pgcert-mistake-bad-statement-1");
        step(b, 8, 30, "restore-restore-2", "restore", "to", "restore-point", "destroyed_nanos", ns(8.5),
                "leader_ms", 20000L);
        return b.steadyWrites("w1", 31, 31.3, 0.1, "node1", 2);
    }

    @Test
    void aPointInTimeRestoreOnItsTargetIsExactKeyByKey() {
        // Key k is invoked at 0.9 + 0.1 k s: 1..40 were acknowledged before the restore point, 41 was in flight at it.
        CheckResult r = checker.check(pitr().finalReadOf(40, "node1", k -> k <= 40 || k > 70).build());

        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("restore_exact", 0).containsEntry("restore_missing_keys", List.of())
                .containsEntry("restore_extra_keys", List.of());
        // 40 before (1..40 acknowledged before 5.0 s), 29 after (42..70 invoked after 5.01 s); key 41 is in between.
        assertThat(r.metrics()).containsEntry("restore_checked", 69);
        assertThat((double) r.metrics().get("rto")).isCloseTo(31.002 - 5.0, within(1e-6));
        assertThat(r.explanation()).contains("landed exactly on its target");
    }

    @Test
    void aRestoreThatKeptWritesFromAfterItsTargetIsInvalidWithTheirKeys() {
        // Recovery ran on past the restore point to 6.0 s: keys 42..50 should not be there.
        CheckResult r = checker.check(pitr().finalReadOf(40, "node1", k -> k <= 50 || k > 70).build());

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("restore_exact", 9)
                .containsEntry("restore_extra_keys", LongStream.rangeClosed(42, 50).boxed().toList());
        assertThat(r.explanation()).contains("9 keys written after it are present (first: 42, 43, 44, 45, 46, ...)");
    }

    @Test
    void aRestoreThatStoppedShortOfItsTargetIsInvalidWithTheMissingKeys() {
        CheckResult r = checker.check(pitr().finalReadOf(40, "node1", k -> k <= 30 || k > 70).build());

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("restore_exact", 10)
                .containsEntry("restore_missing_keys", LongStream.rangeClosed(31, 40).boxed().toList());
    }

    @Test
    void theArchiveLagIsTheMostItTrailedBy() {
        HistoryBuilder b = history();
        b.info(1, "observer", BackupChecker.ARCHIVE, "node", "node1", "lag_bytes", 1000L, "lag_seconds", 0.5, "failed_count", 0L);
        b.info(2, "observer", BackupChecker.ARCHIVE, "node", "node1", "lag_bytes", 9_000_000L, "lag_seconds", 42.0, "failed_count", 7L);
        b.info(3, "observer", BackupChecker.ARCHIVE, "node", "node1", "lag_bytes", 0L, "lag_seconds", 0.0, "failed_count", 9L);
        CheckResult r = checker.check(b.build());

        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("archive_lag", 42.0).containsEntry("archive_lag_bytes", 9_000_000L)
                .containsEntry("archive_failures", 9L);
        assertThat(Expectation.parse("backup.archive_lag", "< 30s").evaluate(new CheckResults(List.of(r))).passed()).isFalse();
    }

    @Test
    void aFailedStepIsInvalidAndNoStepAtAllIsUnknown() {
        HistoryBuilder b = history();
        step(b, 1, 2, "backup-1", "backup", "error", "pgbackrest exited 82");
        assertThat(checker.check(b.build()).verdict()).isEqualTo(Verdict.INVALID);
        assertThat(checker.check(history().steadyWrites("w1", 1, 2, 0.1, "n", 1).build()).verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
