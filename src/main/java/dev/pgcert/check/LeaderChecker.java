package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;
import dev.pgcert.history.Window;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who led the cluster, from Patroni's {@code /cluster} samples: {@code before} (the first leader seen),
 * {@code after} (the leader of the last sample, {@code none} without one), {@code changed}
 * ({@code "true"} when any other leader was seen, so {@code leader.changed: false} asserts the leader
 * held), {@code changes} (hand-overs between named leaders).
 *
 * <p>And how long the old primary kept accepting writes after the first fault (fencing or
 * self-demotion): the old primary is the leader last sampled before the fault started; every
 * acknowledged client write that names the node that served it (writes, probe writes, COPY batches,
 * list-append transactions) and was served by it after the fault started counts.
 * {@code old_primary_writes_after_fault} is their number, {@code old_primary_writes_for} the time from
 * the fault's start to the last one's acknowledgement (0 when none).
 *
 * <p>VALID when it could measure (the limits are the scenario's), UNKNOWN without a sample naming a leader.
 */
public final class LeaderChecker implements Checker {
    public static final String NAME = "leader";
    static final List<String> SERVED_WRITES = List.of(Event.Fn.WRITE, Event.Fn.PROBE_WRITE, Event.Fn.BULK, Event.Fn.TXN);

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.ROLES)
            .metrics(Kind.TEXT, "before", "after", "changed", "old_primary")
            .metrics(Kind.COUNT, "changes", "old_primary_writes_after_fault")
            .metrics(Kind.TIME, "old_primary_writes_for");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        ClusterSamples samples = ClusterSamples.of(h);
        Optional<Event> first = samples.firstWithLeader();
        if (first.isEmpty()) {
            return CheckResult.unknown(NAME, "No cluster sample named a leader: cannot tell who led.");
        }
        String before = ClusterSamples.leader(first.get());
        String after = samples.last().map(ClusterSamples::leader).orElse(null);
        List<String> sequence = samples.leaderSequence();
        boolean changed = sequence.size() > 1;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", before);
        m.put("after", after == null ? "none" : after);
        m.put("changed", Boolean.toString(changed));
        m.put("changes", sequence.size() - 1);
        StringBuilder text = new StringBuilder(changed
                ? "The leader changed " + (sequence.size() - 1) + " time(s): " + String.join(" -> ", sequence) + "."
                : "The leader stayed " + before + ".");
        if (after == null) {
            text.append(" The last sample named no leader.");
        }
        Optional<Window> fault = h.firstFault();
        if (fault.isPresent()) {
            long start = fault.get().startNanos();
            Optional<String> old = samples.lastWithLeaderBefore(start).map(ClusterSamples::leader);
            if (old.isPresent()) {
                long count = 0;
                long lastAck = start;
                for (Op op : h.ops(SERVED_WRITES.toArray(String[]::new))) {
                    if (op.isOk() && op.endNanos() >= start && old.get().equals(Values.string(op.completion().value(), "node"))) {
                        count++;
                        lastAck = Math.max(lastAck, op.endNanos());
                    }
                }
                double seconds = (lastAck - start) / 1e9;
                m.put("old_primary", old.get());
                m.put("old_primary_writes_after_fault", count);
                m.put("old_primary_writes_for", seconds);
                text.append(" The old primary ").append(old.get()).append(count == 0 ? " acknowledged no write after the fault started."
                        : " acknowledged " + count + " writes after the fault started, the last " + Format.seconds(seconds) + " after it.");
            }
        }
        return new CheckResult(NAME, Verdict.VALID, m, text.toString());
    }
}
