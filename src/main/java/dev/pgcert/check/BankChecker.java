package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bank invariant: transfers move money between accounts, so every successful read of the sum of
 * all balances shows the same total. The expected total is the {@code total_expected} of the
 * {@code bank-setup} event (or of any event carrying that key), else the first OK balance read's
 * total. Metrics: {@code expected_total}, {@code reads}, {@code wrong_reads}, {@code wrong_totals}
 * (at most {@value #MAX_LISTED} of {at, total, node}), {@code transfers_ok}, {@code transfers_failed},
 * {@code transfers_unknown}. INVALID on any wrong total; UNKNOWN without a balance read.
 */
public final class BankChecker implements Checker {
    public static final String NAME = "bank";
    static final int MAX_LISTED = 100;

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.INVARIANT)
            .metrics(Kind.COUNT, "expected_total", "reads", "wrong_reads").metrics(Kind.LIST, "wrong_totals")
            .metrics(Kind.COUNT, "transfers_ok", "transfers_failed", "transfers_unknown")
            .appliesWhen(load -> load.transfers() != null || load.balances() != null,
                    "the load has no transfers or balances (add e.g. transfers: {rate: 20} under load:)");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        List<Op> balances = h.ops(Event.Fn.BALANCE).stream()
                .filter(o -> o.isOk() && Values.doubleValue(o.value(), "total") != null).toList();
        if (balances.isEmpty()) {
            return CheckResult.unknown(NAME, "No successful balance read in the history: the bank invariant was never checked.");
        }
        Double declared = declaredTotal(h);
        double expected = declared != null ? declared : Values.doubleValue(balances.get(0).value(), "total");
        String source = declared != null ? "the bank's set-up total" : "the first balance read";

        List<Map<String, Object>> wrong = new ArrayList<>();
        int wrongCount = 0;
        for (Op b : balances) {
            double total = Values.doubleValue(b.value(), "total");
            if (total != expected) {
                wrongCount++;
                if (wrong.size() < MAX_LISTED) {
                    Map<String, Object> w = new LinkedHashMap<>();
                    w.put("at", Stats.round(h.seconds(b.endNanos()), 6));
                    w.put("total", number(total));
                    w.put("node", Values.string(b.value(), "node"));
                    wrong.add(w);
                }
            }
        }
        List<Op> transfers = h.ops(Event.Fn.TRANSFER);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expected_total", number(expected));
        m.put("reads", balances.size());
        m.put("wrong_reads", wrongCount);
        m.put("wrong_totals", wrong);
        m.put("transfers_ok", transfers.stream().filter(Op::isOk).count());
        m.put("transfers_failed", transfers.stream().filter(Op::isFail).count());
        m.put("transfers_unknown", transfers.stream().filter(Op::isUnknown).count());
        if (wrongCount > 0) {
            Map<String, Object> first = wrong.get(0);
            return new CheckResult(NAME, Verdict.INVALID, m, wrongCount + " of " + balances.size() + " balance reads showed a total other than "
                    + Format.number(expected) + " (" + source + "); the first, at " + Format.at((double) first.get("at")) + " on "
                    + first.get("node") + ", showed " + first.get("total") + ".");
        }
        return new CheckResult(NAME, Verdict.VALID, m, "All " + balances.size() + " balance reads showed the total "
                + Format.number(expected) + " (" + source + ") across " + m.get("transfers_ok") + " successful transfers.");
    }

    private static Double declaredTotal(History h) {
        for (Event e : h.byF(Event.Fn.BANK_SETUP)) {
            Double t = Values.doubleValue(e.value(), "total_expected");
            if (t != null) {
                return t;
            }
        }
        for (Event e : h.events()) {
            Double t = Values.doubleValue(e.value(), "total_expected");
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Whole amounts as integers, so metrics and messages do not show "1000.0". */
    private static Object number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? (Object) (long) x : (Object) x;
    }
}
