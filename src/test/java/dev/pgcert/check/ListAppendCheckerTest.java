package dev.pgcert.check;

import dev.pgcert.history.Event.Fn;
import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;

/** One hand-made history for each anomaly the list-append checker claims to find, and clean ones that pass. */
class ListAppendCheckerTest {
    private final ListAppendChecker checker = new ListAppendChecker();

    // ---- a tiny language for transactions ----

    private static List<Object> a(long key, long value) {
        return Arrays.asList("append", key, value);
    }

    private static List<Object> r(long key, Long... seen) {
        return Arrays.asList("r", key, List.of(seen));
    }

    /** A list-append history at an isolation level; transactions are added one after another, 10 ms apart. */
    private static final class Txns {
        final HistoryBuilder b = history();
        final String isolation;
        double t = 0;
        int process = 0;

        Txns(String isolation) {
            this.isolation = isolation;
        }

        Txns ok(List<?>... mops) {
            return add("ok", mops);
        }

        Txns failed(List<?>... mops) {
            return add("fail", mops);
        }

        Txns unknown(List<?>... mops) {
            return add("info", mops);
        }

        private Txns add(String outcome, List<?>... mops) {
            String p = "w" + process++;
            List<Object> invoked = Arrays.stream(mops).map(m -> (Object) Arrays.asList(m.get(0), m.get(1),
                    m.get(0).equals("r") ? null : m.get(2))).toList();
            b.invoke(t, p, Fn.TXN, "txn", invoked, "isolation", isolation, "endpoint", "rw");
            t += 0.01;
            switch (outcome) {
                case "ok" -> b.ok(t, p, Fn.TXN, "txn", List.of((Object[]) mops), "isolation", isolation, "node", "pg1");
                case "fail" -> b.fail(t, p, Fn.TXN, "txn", invoked, "isolation", isolation, "error", "could not serialize", "sqlstate", "40001");
                default -> b.info(t, p, Fn.TXN, "txn", invoked, "isolation", isolation, "error", "connection lost", "sqlstate", "08006");
            }
            t += 0.01;
            return this;
        }

        /** The final read: key, list, key, list, ... */
        History finalRead(Object... keyLists) {
            Map<String, Object> lists = new LinkedHashMap<>();
            for (int i = 0; i < keyLists.length; i += 2) {
                lists.put(String.valueOf(keyLists[i]), keyLists[i + 1]);
            }
            return b.ok(t + 1, "checker", Fn.FINAL_READ, "node", "pg1", "keys", List.of(), "lists", lists).build();
        }
    }

    private static Txns serializable() {
        return new Txns("serializable");
    }

    private CheckResult check(History h) {
        return Checkers.runOne(h, checker);
    }

    // ---- clean histories ----

    @Test
    void aSerialHistoryIsValid() {
        History h = serializable()
                .ok(a(1, 1))
                .ok(r(1, 1L), a(1, 2), a(2, 3))
                .ok(r(1, 1L, 2L), r(2, 3L))
                .failed(a(2, 4))
                .finalRead(1, List.of(1L, 2L), 2, List.of(3L));
        CheckResult res = check(h);
        assertThat(res.verdict()).as(res.explanation()).isEqualTo(Verdict.VALID);
        assertThat(res.metrics()).containsEntry("ok", 3L).containsEntry("failed", 1L).containsEntry("lost_appends", 0)
                .containsEntry("g0", 0).containsEntry("g2", 0).containsEntry("anomalies", List.of()).containsEntry("isolation", "serializable");
    }

    @Test
    void aTransactionThatReadsItsOwnAppendIsNotAnAnomaly() {
        History h = serializable().ok(a(1, 1), r(1, 1L)).ok(r(1, 1L), a(1, 2), r(1, 1L, 2L)).finalRead(1, List.of(1L, 2L));
        assertThat(check(h).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- per read and per key ----

    @Test
    void anAcknowledgedAppendMissingFromTheFinalReadIsLost() {
        History h = serializable().ok(a(1, 1)).ok(a(1, 2)).finalRead(1, List.of(1L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("lost_appends", 1).containsEntry("forbidden_found", List.of("lost_appends"));
        assertThat(res.explanation()).contains("T1(w1) appended 2 to key 1 (acknowledged), missing from the final read");
    }

    @Test
    void anAppendWithAnUnknownOutcomeThatAReadSawMustSurviveToo() {
        History h = serializable().unknown(a(1, 1)).ok(r(1, 1L)).finalRead(1, List.of());
        CheckResult res = check(h);
        assertThat(res.metrics()).containsEntry("lost_appends", 1).containsEntry("indeterminate", 1L);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void anUnseenAppendWithAnUnknownOutcomeIsNotLost() {
        History h = serializable().ok(a(1, 1)).unknown(a(1, 2)).finalRead(1, List.of(1L));
        assertThat(check(h).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aValueTwiceInOneListIsADuplicate() {
        History h = serializable().ok(a(1, 1)).ok(r(1, 1L, 1L)).finalRead(1, List.of(1L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("duplicates", 1).containsEntry("incompatible_orders", 0);
    }

    @Test
    void aValueNobodyAppendedIsUnexpected() {
        History h = serializable().ok(a(1, 1)).ok(r(1, 1L, 99L)).finalRead(1, List.of(1L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("unexpected_values", 1);
    }

    @Test
    void twoReadsNeitherAPrefixOfTheOtherAreIncompatibleOrders() {
        History h = serializable().ok(a(1, 1)).ok(a(1, 2)).ok(r(1, 1L, 2L)).ok(r(1, 2L, 1L)).finalRead(1, List.of(1L, 2L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((Integer) res.metrics().get("incompatible_orders")).isPositive();
    }

    @Test
    void readingAFailedTransactionsAppendIsAnAbortedReadG1a() {
        History h = serializable().failed(a(1, 1)).ok(r(1, 1L)).finalRead(1, List.of());
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("aborted_reads", 1);
    }

    @Test
    void readingAnotherTransactionsNonFinalAppendIsAnIntermediateReadG1b() {
        History h = serializable().ok(a(1, 1), a(1, 2)).ok(r(1, 1L)).finalRead(1, List.of(1L, 2L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("intermediate_reads", 1);
    }

    @Test
    void aReadThatMissesTheTransactionsOwnAppendIsInternal() {
        History h = serializable().ok(a(1, 5), r(1)).finalRead(1, List.of(5L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("internal", 1);
    }

    @Test
    void atReadCommittedALaterReadMaySeeWhatOthersCommittedBetweenButNotLoseWhatItSaw() {
        // w1 reads [1], then another transaction commits 2, then w1 appends 3 and reads [1, 2, 3]: fine at read committed
        History moved = new Txns("read_committed").ok(a(1, 1)).ok(a(1, 2)).ok(r(1, 1L), a(1, 3), r(1, 1L, 2L, 3L))
                .finalRead(1, List.of(1L, 2L, 3L));
        assertThat(check(moved).metrics()).containsEntry("internal", 0);
        // the same at serializable is internal: one snapshot for the whole transaction
        History ser = serializable().ok(a(1, 1)).ok(a(1, 2)).ok(r(1, 1L), a(1, 3), r(1, 1L, 2L, 3L))
                .finalRead(1, List.of(1L, 2L, 3L));
        assertThat(check(ser).metrics()).containsEntry("internal", 1);
        // a later read that lost what the earlier one saw is internal at any level
        History lost = new Txns("read_committed").ok(a(1, 1)).ok(r(1, 1L), a(1, 3), r(1, 3L)).finalRead(1, List.of(1L, 3L));
        assertThat(check(lost).metrics()).containsEntry("internal", 1);
    }

    // ---- dependency cycles ----

    @Test
    void writesInOppositeOrdersOnTwoKeysAreG0() {
        History h = new Txns("read_committed").ok(a(1, 1), a(2, 2)).ok(a(1, 3), a(2, 4))
                .finalRead(1, List.of(1L, 3L), 2, List.of(4L, 2L));
        CheckResult res = check(h);
        assertThat(res.verdict()).as("G0 is forbidden even at read committed").isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("g0", 1).containsEntry("g1c", 0).containsEntry("g_single", 0);
        assertThat(res.explanation()).contains("-ww->");
    }

    @Test
    void eachTransactionSeeingTheOthersWriteIsG1c() {
        History h = new Txns("read_committed").ok(a(1, 1), r(2, 2L)).ok(a(2, 2), r(1, 1L))
                .finalRead(1, List.of(1L), 2, List.of(2L));
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("g1c", 1).containsEntry("g0", 0);
    }

    @Test
    void readSkewIsGSingleForbiddenAtRepeatableReadAllowedAtReadCommitted() {
        // T1 sees key 1 before T2's append and key 2 after it: T2 -wr-> T1 -rw-> T2.
        History rr = new Txns("repeatable_read").ok(a(1, 1), a(2, 2)).ok(r(1), r(2, 2L))
                .finalRead(1, List.of(1L), 2, List.of(2L));
        CheckResult atRr = check(rr);
        assertThat(atRr.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(atRr.metrics()).containsEntry("g_single", 1).containsEntry("g2", 0);

        History rc = new Txns("read_committed").ok(a(1, 1), a(2, 2)).ok(r(1), r(2, 2L))
                .finalRead(1, List.of(1L), 2, List.of(2L));
        CheckResult atRc = check(rc);
        assertThat(atRc.verdict()).isEqualTo(Verdict.VALID);
        assertThat(atRc.metrics()).containsEntry("g_single", 1).containsEntry("anomalies", List.of("g_single"))
                .containsEntry("forbidden_found", List.of());
        assertThat(atRc.explanation()).contains("Found but allowed at read_committed: g_single");
    }

    @Test
    void writeSkewIsG2ForbiddenAtSerializableAllowedAtRepeatableRead() {
        // Each reads the key the other appends to, before the other's append: T1 -rw-> T2 -rw-> T1.
        History ser = serializable().ok(r(1), a(2, 2)).ok(r(2), a(1, 1)).finalRead(1, List.of(1L), 2, List.of(2L));
        CheckResult atSer = check(ser);
        assertThat(atSer.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(atSer.metrics()).containsEntry("g2", 1).containsEntry("g_single", 0);

        History rr = new Txns("repeatable_read").ok(r(1), a(2, 2)).ok(r(2), a(1, 1)).finalRead(1, List.of(1L), 2, List.of(2L));
        assertThat(check(rr).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- what it cannot judge ----

    @Test
    void withoutAFinalReadLostAppendsAreNotJudged() {
        History h = serializable().ok(a(1, 1)).ok(r(1, 1L)).b.build();
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(res.metrics()).doesNotContainKey("lost_appends").containsEntry("g0", 0);
    }

    @Test
    void withoutCommittedTransactionsThereIsNothingToJudge() {
        assertThat(check(serializable().failed(a(1, 1)).finalRead()).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void aMalformedTransactionGivesUnknownNeverAPass() {
        History h = history().invoke(0, "w1", Fn.TXN, "txn", List.of(List.of("cas", 1L, 2L)))
                .ok(0.1, "w1", Fn.TXN, "txn", List.of(List.of("cas", 1L, 2L))).build();
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(res.explanation()).contains("unknown micro-operation 'cas'");
    }

    @Test
    void aTransactionTheServerRanAtAWeakerLevelIsDowngraded() {
        // what PgBouncer's transaction pooling did to Connection.setTransactionIsolation: the session default got lost
        History h = history()
                .invoke(0, "w1", Fn.TXN, "txn", List.of(Arrays.asList("append", 1L, 1L)), "isolation", "serializable")
                .ok(0.1, "w1", Fn.TXN, "txn", List.of(List.of("append", 1L, 1L)), "isolation", "serializable",
                        "isolation_seen", "read_committed", "node", "pg1")
                .ok(1, "checker", Fn.FINAL_READ, "node", "pg1", "keys", List.of(), "lists", Map.of("1", List.of(1L))).build();
        CheckResult res = check(h);
        assertThat(res.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(res.metrics()).containsEntry("downgraded", 1);
        assertThat(res.explanation()).contains("asked for serializable and ran at read_committed");
    }
}
