package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Acknowledged writes must survive: every key of an OK write (and of an OK bulk COPY batch, by its key
 * range) must be in the last {@code final-read}.
 * Metrics: {@code acknowledged} (OK writes), {@code lost} (how many of them are missing),
 * {@code lost_keys} (the missing keys, sorted, at most {@value #MAX_LISTED}), {@code unknown}
 * (writes whose outcome is unknown: INFO or never completed; not loss either way),
 * {@code unknown_present} (how many of those did land), {@code failed_present} (FAIL writes that
 * landed anyway: a FAIL promised they did not), {@code final_keys}, and Jepsen's set-checker counts:
 * {@code recovered} (writes whose outcome was FAIL or unknown that are present in the final read:
 * {@code unknown_present + failed_present}) and {@code unexpected} (keys in the final read that no client
 * ever attempted; {@code unexpected_keys} lists them).
 * INVALID when anything acknowledged is lost, anything failed is present or anything unexpected is
 * present; UNKNOWN without a final read.
 */
public final class DataLossChecker implements Checker {
    public static final String NAME = "data_loss";
    static final int MAX_LISTED = 1000;

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.DATA_LOSS)
            .metrics(Kind.COUNT, "acknowledged", "lost").metrics(Kind.LIST, "lost_keys")
            .metrics(Kind.COUNT, "unknown", "unknown_present", "failed_present", "final_keys", "recovered", "unexpected")
            .metrics(Kind.LIST, "unexpected_keys");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        Optional<Event> finalRead = h.byF(Event.Fn.FINAL_READ, Event.Type.OK).stream().reduce((a, b) -> b);
        if (finalRead.isEmpty()) {
            return CheckResult.unknown(NAME, "No final read in the history: cannot tell whether acknowledged writes survived.");
        }
        Set<Object> present = new HashSet<>();
        for (Object k : Values.list(finalRead.get().value(), "keys")) {
            present.add(Values.key(k));
        }
        Set<Object> acknowledged = new HashSet<>();
        Set<Object> unknown = new HashSet<>();
        Set<Object> failed = new HashSet<>();
        Set<Object> attempted = new HashSet<>();
        int withoutKey = 0;
        for (Op w : h.ops(Event.Fn.WRITE, Event.Fn.PROBE_WRITE)) { // the probe's writes (negative keys) must survive too
            Object key = Values.key(w.get("key"));
            if (key != null) {
                attempted.add(key);
            }
            if (key == null) {
                withoutKey++;
            } else if (w.isOk()) {
                acknowledged.add(key);
            } else if (w.isFail()) {
                failed.add(key);
            } else {
                unknown.add(key);
            }
        }
        for (Op bulk : h.ops(Event.Fn.BULK)) { // a COPY batch: every key of its range, judged like a single write
            Long from = Values.longValue(bulk.value(), "key_from");
            Long to = Values.longValue(bulk.value(), "key_to");
            if (from == null || to == null) {
                withoutKey++;
                continue;
            }
            for (long k = from; k <= to; k++) {
                attempted.add(k);
                (bulk.isOk() ? acknowledged : bulk.isFail() ? failed : unknown).add(k);
            }
        }
        // A key retried after an unknown outcome and then acknowledged is simply acknowledged.
        unknown.removeAll(acknowledged);
        failed.removeAll(acknowledged);
        failed.removeAll(unknown);

        List<Object> lost = sortedMissing(acknowledged, present);
        long unknownPresent = unknown.stream().filter(present::contains).count();
        List<Object> failedPresent = new ArrayList<>(failed.stream().filter(present::contains).toList());
        failedPresent.sort(Values::compareKeys);
        List<Object> unexpected = sortedMissing(present, attempted);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acknowledged", acknowledged.size());
        m.put("lost", lost.size());
        m.put("lost_keys", List.copyOf(lost.subList(0, Math.min(lost.size(), MAX_LISTED))));
        m.put("unknown", unknown.size());
        m.put("unknown_present", unknownPresent);
        m.put("failed_present", failedPresent.size());
        m.put("final_keys", present.size());
        m.put("recovered", unknownPresent + failedPresent.size());
        m.put("unexpected", unexpected.size());
        m.put("unexpected_keys", List.copyOf(unexpected.subList(0, Math.min(unexpected.size(), MAX_LISTED))));

        String node = Values.string(finalRead.get().value(), "node");
        String where = " in the final read" + (node == null ? "" : " on " + node);
        String unknownText = unknown.isEmpty() ? "" : " " + unknown.size() + " writes had an unknown outcome, "
                + unknownPresent + " of them landed.";
        String keyless = withoutKey == 0 ? "" : " " + withoutKey + " writes carried no key and were not checked.";
        if (!lost.isEmpty() || !failedPresent.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder s = new StringBuilder();
            if (!lost.isEmpty()) {
                s.append(lost.size()).append(" of ").append(acknowledged.size()).append(" acknowledged writes are missing")
                        .append(where.replace(" in the ", " from the ")).append(" (first: ").append(preview(lost)).append(").");
            }
            if (!failedPresent.isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append(failedPresent.size())
                        .append(" writes reported as failed are present anyway (first: ").append(preview(failedPresent)).append(").");
            }
            if (!unexpected.isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append(unexpected.size())
                        .append(" keys are present that no client ever wrote (first: ").append(preview(unexpected)).append(").");
            }
            return new CheckResult(NAME, Verdict.INVALID, m, s + unknownText + keyless);
        }
        return new CheckResult(NAME, Verdict.VALID, m,
                "All " + acknowledged.size() + " acknowledged writes are present" + where + "." + unknownText + keyless);
    }

    private static List<Object> sortedMissing(Set<Object> wanted, Set<Object> present) {
        List<Object> missing = new ArrayList<>();
        for (Object k : wanted) {
            if (!present.contains(k)) {
                missing.add(k);
            }
        }
        missing.sort(Values::compareKeys);
        return missing;
    }

    private static String preview(List<Object> keys) {
        List<String> first = keys.stream().limit(5).map(String::valueOf).toList();
        return String.join(", ", first) + (keys.size() > 5 ? ", ..." : "");
    }
}
