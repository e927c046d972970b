package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;
import dev.pgcert.history.Window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How long a failover took, as clients and as the cluster saw it. Metrics (seconds):
 * <ul>
 * <li>{@code client}: the longest write outage around the first fault: the longest gap between
 *     consecutive OK write completions that ends after the fault started and begins no later than
 *     the fault's end (or the new leader's appearance, if later). Writes that still commit just after
 *     the fault edge, before it took effect, therefore do not hide the outage. When no OK write
 *     follows the outage (writes never recovered) the verdict is INVALID, {@code client} is infinite
 *     (so every limit fails, however short the run) and {@code client_observed_down} says how long
 *     the history watched writes fail.</li>
 * <li>{@code dcs}: from the fault's start to the first time at or after it that the DCS named a leader
 *     other than the one before the fault (the last non-null leader at or before the start; from
 *     {@code cluster} samples when no leader event says): etcd's leader key as the key observer saw it
 *     ({@code dcs-leader-key}) or a {@code leader} event of the {@code /cluster} samples, whichever came
 *     first. Absent when the leader never changed.</li>
 * <li>{@code redundancy}: from the fault's start to the first {@code cluster} sample, taken no
 *     earlier than the fault's end and the leader change, in which every member of the last sample
 *     before the fault is listed and running and, if the leader changed, the old leader is a replica.
 *     Absent when that never happened.</li>
 * <li>{@code write_gaps.longest} (with {@code longest_at}, where it began): the longest gap between
 *     consecutive OK writes anywhere in the run; {@code write_gaps.resolution}: the median gap, the
 *     precision any of these times can have.</li>
 * <li>{@code by_fault.<id>.client} / {@code .dcs}: the same for every fault window.</li>
 * </ul>
 * A history without faults is VALID with only {@code write_gaps}.
 */
public final class FailoverTimeChecker implements Checker {
    public static final String NAME = "failover_time";
    private static final Set<String> LEADER_ROLES = Set.of("leader", "master", "primary", "standby_leader");
    private static final Set<String> RUNNING_STATES = Set.of("running", "streaming");

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.SLOW_FAILOVER)
            .metrics(Kind.TIME, "client", "client_observed_down", "dcs", "redundancy", "fault_at")
            .metrics(Kind.TEXT, "old_leader", "new_leader")
            .nested(Kind.TIME, "write_gaps", "by_fault");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        List<Op> writes = h.ops(Event.Fn.WRITE);
        long[] ok = writes.stream().filter(Op::isOk).mapToLong(Op::endNanos).sorted().toArray();
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> gaps = writeGaps(h, ok);
        if (!gaps.isEmpty()) {
            metrics.put("write_gaps", gaps);
        }
        List<Window> faults = h.faultWindows();
        if (faults.isEmpty() && ok.length == 0) {
            return new CheckResult(NAME, Verdict.UNKNOWN, metrics, "No fault and no successful write in the history: nothing to time.");
        }
        if (faults.isEmpty()) {
            String gapText = gaps.isEmpty() ? "fewer than two writes succeeded"
                    : "longest gap between ok writes " + Format.seconds((double) gaps.get("longest"));
            return new CheckResult(NAME, Verdict.VALID, metrics, "No fault in the history, nothing failed over; " + gapText + ".");
        }
        long lastWriteEvent = writes.stream()
                .mapToLong(o -> o.completed() ? o.endNanos() : o.startNanos()).max().orElse(Long.MIN_VALUE);
        // A write still hanging at the end of the history is the load still trying: it did not recover.
        boolean hanging = writes.stream().anyMatch(o -> !o.completed());
        Map<String, Object> byFault = new LinkedHashMap<>();
        Window fault = h.firstFault().orElseThrow(); // the headline: the first step that disrupts
        Failover first = null;
        for (Window w : faults) {
            Failover f = failover(h, w, ok, lastWriteEvent, hanging);
            if (w.equals(fault)) {
                first = f;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            if (f.outage != null) {
                m.put("client", secs(f.outage.seconds));
            }
            if (f.leaderChangeNanos != null) {
                m.put("dcs", secs((f.leaderChangeNanos - w.startNanos()) / 1e9));
            }
            byFault.put(w.id(), m);
        }
        Failover f = first;
        if (f.outage != null && f.outage.neverRecovered) {
            // Unbounded, not "until the history ended": a short run must not make a dead endpoint look fast.
            metrics.put("client", Double.POSITIVE_INFINITY);
            metrics.put("client_observed_down", secs(f.outage.seconds));
        } else if (f.outage != null) {
            metrics.put("client", secs(f.outage.seconds));
        }
        if (f.leaderChangeNanos != null) {
            metrics.put("dcs", secs((f.leaderChangeNanos - fault.startNanos()) / 1e9));
        }
        if (f.redundancyNanos != null) {
            metrics.put("redundancy", secs((f.redundancyNanos - fault.startNanos()) / 1e9));
        }
        metrics.put("fault_at", secs(h.seconds(fault.startNanos())));
        metrics.put("old_leader", f.oldLeader);
        metrics.put("new_leader", f.newLeader);
        metrics.put("by_fault", byFault);

        Verdict verdict;
        StringBuilder text = new StringBuilder();
        if (f.outage == null) {
            verdict = Verdict.UNKNOWN;
            text.append("No write was attempted after the fault ").append(fault.id()).append(" started at ")
                    .append(Format.at(h.seconds(fault.startNanos()))).append(", so client failover time is unknown.");
        } else if (f.outage.neverRecovered) {
            verdict = Verdict.INVALID;
            text.append("Writes never recovered: last ok at ").append(Format.at(h.seconds(f.outage.fromNanos)))
                    .append(", none in the ").append(Format.seconds(f.outage.seconds))
                    .append(" to the end of the history (fault ").append(fault.id()).append(" at ")
                    .append(Format.at(h.seconds(fault.startNanos()))).append(").");
        } else {
            verdict = Verdict.VALID;
            text.append("Writes were down ").append(Format.seconds(f.outage.seconds)).append(": ")
                    .append(f.outage.fromIsFaultStart ? "no ok write before the fault at " : "last ok at ")
                    .append(Format.at(h.seconds(f.outage.fromNanos)))
                    .append(", first ok after the fault at ").append(Format.at(h.seconds(f.outage.toNanos))).append(".");
        }
        text.append(' ').append(dcsSentence(h, fault, f)).append(redundancySentence(fault, f));
        return new CheckResult(NAME, verdict, metrics, text.toString().trim());
    }

    private static String dcsSentence(History h, Window fault, Failover f) {
        if (f.leaderChangeNanos != null) {
            return "DCS named " + f.newLeader + " leader " + Format.seconds((f.leaderChangeNanos - fault.startNanos()) / 1e9)
                    + " after the fault" + (f.oldLeader == null ? " (leader before the fault unknown)." : " (was " + f.oldLeader + ").");
        }
        return f.oldLeader == null ? "No leader change recorded." : "The leader stayed " + f.oldLeader + ".";
    }

    private static String redundancySentence(Window fault, Failover f) {
        if (f.redundancyNanos == null) {
            return " Redundancy was not restored before the history ended.";
        }
        return " All members running again" + (f.newLeader != null && f.oldLeader != null ? " with " + f.oldLeader + " as replica" : "")
                + " after " + Format.seconds((f.redundancyNanos - fault.startNanos()) / 1e9) + ".";
    }

    private record Outage(long fromNanos, long toNanos, double seconds, boolean neverRecovered, boolean fromIsFaultStart) {}

    private record Failover(Outage outage, String oldLeader, String newLeader, Long leaderChangeNanos, Long redundancyNanos) {}

    private static Failover failover(History h, Window fault, long[] ok, long lastWriteEvent, boolean hanging) {
        long start = fault.startNanos();
        String oldLeader = leaderBefore(h, start);
        Event change = leaderChange(h, start, oldLeader);
        Long changeAt = change == null ? null : change.nanos();
        String newLeader = change == null ? null : Values.string(change.value(), "to");
        long windowEnd = Math.max(fault.endNanos(), changeAt == null ? start : changeAt);
        Outage outage = outage(h, start, windowEnd, ok, lastWriteEvent, hanging);
        long healthyFrom = Math.max(fault.ended() ? fault.endNanos() : start, changeAt == null ? start : changeAt);
        Long redundancy = redundancyRestored(h, start, healthyFrom, oldLeader, change != null);
        return new Failover(outage, oldLeader, newLeader, changeAt, redundancy);
    }

    private static Outage outage(History h, long start, long windowEnd, long[] ok, long lastWriteEvent, boolean hanging) {
        int firstAfter = 0;
        while (firstAfter < ok.length && ok[firstAfter] <= start) {
            firstAfter++;
        }
        Outage best = null;
        if (firstAfter == ok.length) {
            if (lastWriteEvent < start && !hanging) {
                return null; // the load had stopped: nothing tells how long writes would have failed
            }
            long from = firstAfter > 0 ? ok[firstAfter - 1] : start;
            return new Outage(from, h.endNanos(), (h.endNanos() - from) / 1e9, true, firstAfter == 0);
        }
        if (firstAfter == 0) {
            best = new Outage(start, ok[0], (ok[0] - start) / 1e9, false, true);
        }
        for (int i = Math.max(firstAfter, 1); i < ok.length && ok[i - 1] <= windowEnd; i++) {
            double gap = (ok[i] - ok[i - 1]) / 1e9;
            if (best == null || gap > best.seconds) {
                best = new Outage(ok[i - 1], ok[i], gap, false, false);
            }
        }
        long last = ok[ok.length - 1];
        // Writes stopped succeeding inside the window while the load kept trying: never recovered.
        if (last <= windowEnd && lastWriteEvent > last && (lastWriteEvent - last) / 1e9 > best.seconds) {
            best = new Outage(last, h.endNanos(), (h.endNanos() - last) / 1e9, true, false);
        }
        return best;
    }

    /** The last non-null leader at or before {@code nanos}: leader events first, cluster samples else. */
    static String leaderBefore(History h, long nanos) {
        return h.lastBefore(Event.Fn.LEADER, nanos, e -> Values.string(e.value(), "to") != null)
                .map(e -> Values.string(e.value(), "to"))
                .or(() -> h.lastBefore(Event.Fn.CLUSTER, nanos, e -> Values.string(e.value(), "leader") != null)
                        .map(e -> Values.string(e.value(), "leader")))
                .orElse(null);
    }

    /**
     * When the DCS first named a leader other than {@code old} at or after {@code start}: etcd's leader key as
     * the key observer saw it ({@code dcs-leader-key}), or a leader event from the {@code /cluster} samples,
     * whichever came first. The samples alone can be late: {@code /cluster} is served by a member's REST API
     * from its view of the DCS, and a member cut off from etcd answers late or stale (measured: a primary cut off
     * from everything, the sample naming the new leader 1.3 s after etcd's key did). Returned as a leader
     * event ({@code to}, the new leader).
     */
    private static Event leaderChange(History h, long start, String old) {
        Event sampled = null;
        for (Event e : h.byF(Event.Fn.LEADER)) {
            String to = Values.string(e.value(), "to");
            if (e.nanos() >= start && to != null && !to.equals(old)) {
                sampled = e;
                break;
            }
        }
        for (Event e : h.byF(Event.Fn.DCS_LEADER_KEY)) {
            String holder = Values.string(e.value(), "holder");
            if (e.nanos() >= start && holder != null && !holder.equals(old)) {
                if (sampled == null || e.nanos() < sampled.nanos()) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("from", old);
                    v.put("to", holder);
                    return new Event(e.nanos(), e.process(), e.type(), Event.Fn.LEADER, v);
                }
                break;
            }
        }
        return sampled;
    }

    private static Long redundancyRestored(History h, long faultStart, long from, String oldLeader, boolean leaderChanged) {
        List<Event> samples = h.byF(Event.Fn.CLUSTER);
        List<String> before = null;
        for (Event e : samples) {
            if (e.nanos() > faultStart) {
                break;
            }
            before = memberNames(e);
        }
        if (before == null || before.isEmpty()) {
            return null; // no picture of the healthy cluster to compare with
        }
        for (Event e : samples) {
            if (e.nanos() >= from && healthy(e, before, oldLeader, leaderChanged)) {
                return e.nanos();
            }
        }
        return null;
    }

    private static boolean healthy(Event sample, List<String> expected, String oldLeader, boolean leaderChanged) {
        Map<String, Map<String, Object>> members = new LinkedHashMap<>();
        for (Object o : Values.list(sample.value(), "members")) {
            Map<String, Object> m = Values.map(o);
            members.put(Values.string(m, "name"), m);
        }
        for (String name : expected) {
            Map<String, Object> m = members.get(name);
            if (m == null || !RUNNING_STATES.contains(Values.string(m, "state"))) {
                return false;
            }
            if (leaderChanged && Objects.equals(name, oldLeader) && LEADER_ROLES.contains(Values.string(m, "role"))) {
                return false;
            }
        }
        return members.values().stream().anyMatch(m -> LEADER_ROLES.contains(Values.string(m, "role")));
    }

    private static List<String> memberNames(Event sample) {
        List<String> names = new ArrayList<>();
        for (Object o : Values.list(sample.value(), "members")) {
            String n = Values.string(Values.map(o), "name");
            if (n != null) {
                names.add(n);
            }
        }
        return names;
    }

    private static Map<String, Object> writeGaps(History h, long[] ok) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (ok.length < 2) {
            return m;
        }
        double[] gaps = new double[ok.length - 1];
        int longest = 0;
        for (int i = 1; i < ok.length; i++) {
            gaps[i - 1] = (ok[i] - ok[i - 1]) / 1e9;
            if (gaps[i - 1] > gaps[longest]) {
                longest = i - 1;
            }
        }
        m.put("longest", secs(gaps[longest]));
        m.put("longest_at", secs(h.seconds(ok[longest])));
        double[] sorted = gaps.clone();
        java.util.Arrays.sort(sorted);
        m.put("resolution", secs(Stats.median(sorted)));
        return m;
    }

    private static double secs(double s) {
        return Stats.round(s, 6);
    }
}
