package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;

class BankCheckerTest {
    private final BankChecker checker = new BankChecker();

    static HistoryBuilder bank() {
        return history().bankSetup(0, 10, 1000)
                .transfer("t1", 1.0, 1.01, 1, 2, 50).balance("b1", 1.5, 1.51, 1000, "pg1")
                .transfer("t1", 2.0, 2.01, 2, 3, 20).balance("b1", 2.5, 2.51, 1000, "pg2")
                .invoke(3.0, "t1", "transfer", "from", 3, "to", 4, "amount", 5).fail(3.01, "t1", "transfer", "error", "deadlock")
                .invoke(4.0, "t1", "transfer", "from", 3, "to", 4, "amount", 5).info(4.01, "t1", "transfer", "error", "timeout");
    }

    @Test
    void balancesThatAlwaysSumToTheSetUpTotalAreValid() {
        CheckResult r = checker.check(bank().build());
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.metrics()).containsEntry("expected_total", 1000L).containsEntry("reads", 2).containsEntry("wrong_reads", 0)
                .containsEntry("transfers_ok", 2L).containsEntry("transfers_failed", 1L).containsEntry("transfers_unknown", 1L);
        assertThat(r.explanation()).isEqualTo("All 2 balance reads showed the total 1000 (the bank's set-up total) across 2 successful transfers.");
    }

    @Test
    void aWrongTotalIsInvalidWithItsTimeAndNode() {
        History h = bank().balance("b1", 5.0, 5.0, 990, "pg2").balance("b1", 6.0, 6.0, 1000, "pg1").build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("wrong_reads", 1)
                .containsEntry("wrong_totals", List.of(Map.of("at", 5.0, "total", 990L, "node", "pg2")));
        assertThat(r.explanation()).isEqualTo("1 of 4 balance reads showed a total other than 1000 (the bank's set-up total);"
                + " the first, at 5.00 s on pg2, showed 990.");
    }

    @Test
    void withoutASetUpTheFirstBalanceSetsTheTotal() {
        History h = history().balance("b1", 1, 1.01, 500, "pg1").balance("b1", 2, 2.01, 501, "pg1").build();
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.metrics()).containsEntry("expected_total", 500L);
        assertThat(r.explanation()).contains("(the first balance read)");
    }

    @Test
    void withoutBalanceReadsTheInvariantIsUnknown() {
        History h = history().bankSetup(0, 10, 1000).transfer("t1", 1, 1.1, 1, 2, 5).build();
        assertThat(checker.check(h).verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
