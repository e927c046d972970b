package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;
import dev.pgcert.history.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether reads went to replicas, stayed available, and how stale they were. Metrics:
 * <ul>
 * <li>{@code share}: OK reads served by a node in recovery / all OK reads (fraction);</li>
 * <li>{@code availability_during_fault}: OK reads / completed reads among reads invoked inside a
 *     fault window (fraction; absent without such reads);</li>
 * <li>{@code staleness.max_keys}, {@code .p99_keys}: how many keys the read was behind
 *     ({@code acked_max_key - max_key}, at least 0);</li>
 * <li>{@code staleness.max_seconds}, {@code .p99_seconds}: how long the oldest acknowledged write the read
 *     did not see had been acknowledged when the read began (0 when it saw every write acknowledged
 *     before it began). Needs numeric keys;</li>
 * <li>{@code by_node.<node>}: OK reads per node; {@code reads_ok}, {@code reads}.</li>
 * </ul>
 * INVALID when a read served by a primary (not in recovery) missed a write acknowledged before the
 * read began: a primary must show every acknowledged write. UNKNOWN without reads.
 */
public final class ReadOffloadChecker implements Checker {
    public static final String NAME = "read_offload";

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.READ_OFFLOAD)
            .metrics(Kind.FRACTION, "share", "availability_during_fault")
            .metrics(Kind.COUNT, "reads", "reads_ok", "stale_primary_reads")
            .nested(Kind.COUNT, "staleness", "by_node")
            .appliesWhen(load -> load.reads() != null, "the load has no reads (load.reads is off)");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        List<Op> reads = h.ops(Event.Fn.READ);
        if (reads.isEmpty()) {
            return CheckResult.unknown(NAME, "No reads in the history.");
        }
        List<Op> ok = reads.stream().filter(Op::isOk).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reads", reads.size());
        m.put("reads_ok", ok.size());
        long fromReplicas = ok.stream().filter(r -> Boolean.TRUE.equals(Values.bool(r.value(), "in_recovery"))).count();
        if (!ok.isEmpty()) {
            m.put("share", Stats.round((double) fromReplicas / ok.size(), 6));
        }
        List<Window> faults = h.faultWindows();
        List<Op> inFault = reads.stream().filter(Op::completed)
                .filter(r -> faults.stream().anyMatch(w -> w.contains(r.startNanos()))).toList();
        Double availability = null;
        if (!inFault.isEmpty()) {
            availability = (double) inFault.stream().filter(Op::isOk).count() / inFault.size();
            m.put("availability_during_fault", Stats.round(availability, 6));
        }
        Map<String, Long> byNode = new TreeMap<>();
        ok.forEach(r -> byNode.merge(String.valueOf(r.get("node")), 1L, Long::sum));
        m.put("by_node", byNode);

        AckTimes acks = AckTimes.of(h.ops(Event.Fn.WRITE));
        List<Double> behindKeys = new ArrayList<>();
        List<Double> behindSeconds = new ArrayList<>();
        Op worstPrimaryRead = null;
        double worstPrimarySeconds = 0;
        int stalePrimaryReads = 0;
        for (Op r : ok) {
            Long seen = Values.longValue(r.value(), "max_key");
            Long acked = Values.longValue(r.value(), "acked_max_key");
            if (seen != null && acked != null) {
                behindKeys.add((double) Math.max(0, acked - seen));
            }
            if (acks != null && r.value().containsKey("max_key")) { // a null max_key: the read saw no row
                double s = acks.staleSeconds(seen, r.startNanos());
                behindSeconds.add(s);
                if (s > 0 && Boolean.FALSE.equals(Values.bool(r.value(), "in_recovery"))) {
                    stalePrimaryReads++;
                    if (s > worstPrimarySeconds) {
                        worstPrimarySeconds = s;
                        worstPrimaryRead = r;
                    }
                }
            }
        }
        Map<String, Object> staleness = new LinkedHashMap<>();
        double[] k = Stats.putPeak(staleness, "keys", behindKeys, true);
        double[] t = Stats.putPeak(staleness, "seconds", behindSeconds, false);
        m.put("staleness", staleness);
        m.put("stale_primary_reads", stalePrimaryReads);

        StringBuilder text = new StringBuilder();
        text.append(ok.size()).append(" of ").append(reads.size()).append(" reads succeeded");
        if (!ok.isEmpty()) {
            text.append(", ").append(Format.percent((double) fromReplicas / ok.size())).append(" of them on replicas");
        }
        if (availability != null) {
            text.append("; ").append(Format.percent(availability)).append(" of reads during faults succeeded");
        }
        if (t.length > 0) {
            text.append("; reads were at most ").append(Format.seconds(Stats.max(t))).append(" stale");
        } else if (k.length > 0) {
            text.append("; reads were at most ").append((long) Stats.max(k)).append(" keys behind");
        }
        text.append('.');
        if (worstPrimaryRead != null) {
            return new CheckResult(NAME, Verdict.INVALID, m, stalePrimaryReads + " reads served by a primary missed acknowledged writes; the worst, on "
                    + worstPrimaryRead.get("node") + " at " + Format.at(h.seconds(worstPrimaryRead.startNanos()))
                    + ", saw key " + worstPrimaryRead.get("max_key") + " but missed a write acknowledged "
                    + Format.seconds(worstPrimarySeconds) + " before it began. " + text);
        }
        // A read that does not say whether its node was in recovery says nothing about offload.
        boolean located = ok.stream().anyMatch(r -> Values.bool(r.value(), "in_recovery") != null);
        if (!ok.isEmpty() && !located) {
            text.append("; no successful read said whether its node was a replica, so the offload is unknown");
        }
        return new CheckResult(NAME, ok.isEmpty() || !located ? Verdict.UNKNOWN : Verdict.VALID, m,
                ok.isEmpty() ? "No read succeeded, so offload and staleness are unknown: " + text : text.toString());
    }

    /**
     * Acknowledgement times of OK writes ordered by key, with the earliest acknowledgement among all
     * larger keys, so "the oldest acknowledged write a read did not see" is one binary search.
     */
    private record AckTimes(long[] keys, long[] earliestAckFrom) {

        static AckTimes of(List<Op> writes) {
            List<long[]> pairs = new ArrayList<>();
            for (Op w : writes) {
                if (w.isOk() && Values.key(w.get("key")) instanceof Long key) {
                    pairs.add(new long[] {key, w.endNanos()});
                }
            }
            if (pairs.isEmpty()) {
                return null;
            }
            pairs.sort(Comparator.comparingLong(p -> p[0]));
            long[] keys = new long[pairs.size()];
            long[] earliest = new long[pairs.size()];
            long min = Long.MAX_VALUE;
            for (int i = pairs.size() - 1; i >= 0; i--) {
                keys[i] = pairs.get(i)[0];
                min = Math.min(min, pairs.get(i)[1]);
                earliest[i] = min;
            }
            return new AckTimes(keys, earliest);
        }

        /** Seconds the oldest write with a key above {@code seen}, acknowledged before {@code readStart}, had been acknowledged. */
        double staleSeconds(Long seen, long readStart) {
            int i;
            if (seen == null) {
                i = 0; // saw nothing: every acknowledged write is missing
            } else {
                i = Arrays.binarySearch(keys, seen);
                i = i >= 0 ? i + 1 : -i - 1;
                while (i < keys.length && keys[i] <= seen) {
                    i++; // duplicate keys: step past all equal to seen
                }
            }
            if (i >= keys.length || earliestAckFrom[i] >= readStart) {
                return 0;
            }
            return (readStart - earliestAckFrom[i]) / 1e9;
        }
    }
}
