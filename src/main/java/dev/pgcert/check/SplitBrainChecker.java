package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two primaries must never accept writes at once. OK writes carry the {@code node} that committed
 * them and its {@code timeline}. A write is certainly committed between its invoke and its
 * completion, so a node certainly accepted writes across [its first acknowledgement, its last
 * invocation] on a timeline. INVALID when:
 * <ul>
 * <li>a node accepted a write on an older timeline that was invoked after another node had
 *     acknowledged a write on a newer one;</li>
 * <li>on the same timeline (or when timelines are missing), one node committed a write entirely
 *     inside another node's accepting span (A, then B, then A again), or two nodes' accepting spans
 *     overlap;</li>
 * <li>acknowledged writes sit on a timeline no DCS leader ever held (per {@code leader},
 *     {@code cluster} and {@code final-read} timelines) and are missing from the final read.</li>
 * </ul>
 * Metrics: {@code split_brain} ("none" or the first finding), {@code nodes_accepting_writes},
 * {@code anomalies}. UNKNOWN without OK writes that name their node.
 */
public final class SplitBrainChecker implements Checker {
    public static final String NAME = "split_brain";

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.SPLIT_BRAIN)
            .metrics(Kind.TEXT, "split_brain").metrics(Kind.COUNT, "nodes_accepting_writes", "anomalies")
            .metrics(Kind.LIST, "nodes");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    private record Write(String node, Long timeline, long invoke, long ack, Object key) {}

    /** What one node did on one timeline. */
    private record Group(String node, Long timeline, long firstAck, long lastInvoke, List<Write> writes) {
        boolean comparable(Group o) {
            return timeline == null || o.timeline == null || timeline.equals(o.timeline);
        }

        String label() {
            return node + (timeline == null ? "" : " (timeline " + timeline + ")");
        }
    }

    @Override
    public CheckResult check(History h) {
        List<Write> writes = new ArrayList<>();
        for (Op w : h.ops(Event.Fn.WRITE)) {
            String node = w.isOk() ? Values.string(w.value(), "node") : null;
            if (node != null) {
                writes.add(new Write(node, Values.longValue(w.value(), "timeline"), w.startNanos(), w.endNanos(),
                        Values.key(w.get("key"))));
            }
        }
        if (writes.isEmpty()) {
            return CheckResult.unknown(NAME, "No acknowledged write names its node, so who accepted writes is unknown.");
        }
        List<Group> groups = groups(writes);
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            for (int j = 0; j < groups.size(); j++) {
                if (i != j) {
                    String f = compare(h, groups.get(i), groups.get(j), i < j);
                    if (f != null) {
                        findings.add(f);
                    }
                }
            }
        }
        findings.addAll(unelectedTimelines(h, groups));

        Set<String> nodes = new TreeSet<>();
        writes.forEach(w -> nodes.add(w.node()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split_brain", findings.isEmpty() ? "none"
                : findings.get(0) + (findings.size() > 1 ? " (and " + (findings.size() - 1) + " more)" : ""));
        m.put("nodes_accepting_writes", nodes.size());
        m.put("anomalies", findings.size());
        m.put("nodes", List.copyOf(nodes));
        if (!findings.isEmpty()) {
            return new CheckResult(NAME, Verdict.INVALID, m, "Split brain: " + String.join("; ", findings.subList(0, Math.min(3, findings.size())))
                    + (findings.size() > 3 ? "; and " + (findings.size() - 3) + " more." : "."));
        }
        return new CheckResult(NAME, Verdict.VALID, m, "No two nodes accepted writes at once: " + nodes.size()
                + " node(s) accepted writes one after another (" + sequence(h, groups) + ").");
    }

    private static List<Group> groups(List<Write> writes) {
        Map<List<Object>, List<Write>> byGroup = new LinkedHashMap<>();
        for (Write w : writes) {
            byGroup.computeIfAbsent(java.util.Arrays.asList(w.node(), w.timeline()), k -> new ArrayList<>()).add(w);
        }
        List<Group> groups = new ArrayList<>();
        byGroup.forEach((k, ws) -> groups.add(new Group(ws.get(0).node(), ws.get(0).timeline(),
                ws.stream().mapToLong(Write::ack).min().orElseThrow(),
                ws.stream().mapToLong(Write::invoke).max().orElseThrow(), ws)));
        groups.sort(Comparator.comparingLong(Group::firstAck));
        return groups;
    }

    /** A finding about groups a and b, or null. Symmetric checks are reported once ({@code once} true). */
    private static String compare(History h, Group a, Group b, boolean once) {
        if (a.timeline() != null && b.timeline() != null && a.timeline() < b.timeline()) {
            if (a.lastInvoke() > b.firstAck()) {
                return a.node() + " accepted a write on timeline " + a.timeline() + " invoked at " + Format.at(h.seconds(a.lastInvoke()))
                        + ", after " + b.node() + " had acknowledged a write on timeline " + b.timeline() + " at "
                        + Format.at(h.seconds(b.firstAck()));
            }
            return null;
        }
        if (a.node().equals(b.node()) || !a.comparable(b)) {
            return null;
        }
        for (Write y : b.writes()) {
            if (y.invoke() > a.firstAck() && y.ack() < a.lastInvoke()) {
                return b.node() + " committed a write (" + Format.at(h.seconds(y.invoke())) + " to " + Format.at(h.seconds(y.ack()))
                        + ") while " + a.label() + " accepted writes before and after it (" + Format.at(h.seconds(a.firstAck()))
                        + " to " + Format.at(h.seconds(a.lastInvoke())) + ")";
            }
        }
        long from = Math.max(a.firstAck(), b.firstAck());
        long to = Math.min(a.lastInvoke(), b.lastInvoke());
        if (once && from < to) {
            return a.label() + " and " + b.label() + " both accepted writes between " + Format.at(h.seconds(from))
                    + " and " + Format.at(h.seconds(to));
        }
        return null;
    }

    /** Acknowledged writes on a timeline no elected leader held, missing from the final read. */
    private static List<String> unelectedTimelines(History h, List<Group> groups) {
        Event finalRead = h.byF(Event.Fn.FINAL_READ, Event.Type.OK).stream().reduce((x, y) -> y).orElse(null);
        if (finalRead == null) {
            return List.of();
        }
        Set<Long> elected = electedTimelines(h, finalRead);
        if (elected.isEmpty()) {
            return List.of(); // nothing says which timelines were legitimate
        }
        Set<Object> present = new HashSet<>();
        Values.list(finalRead.value(), "keys").forEach(k -> present.add(Values.key(k)));
        List<String> findings = new ArrayList<>();
        for (Group g : groups) {
            if (g.timeline() == null || elected.contains(g.timeline())) {
                continue;
            }
            long missing = g.writes().stream().filter(w -> w.key() != null && !present.contains(w.key())).count();
            if (missing > 0) {
                findings.add(missing + " writes acknowledged by " + g.node() + " on timeline " + g.timeline()
                        + ", which no elected leader held (elected: " + elected + "), are missing from the final read");
            }
        }
        return findings;
    }

    private static Set<Long> electedTimelines(History h, Event finalRead) {
        Set<Long> elected = new TreeSet<>();
        for (Event e : h.byF(Event.Fn.LEADER)) {
            Long t = Values.longValue(e.value(), "timeline");
            if (t != null && Values.string(e.value(), "to") != null) {
                elected.add(t);
            }
        }
        for (Event e : h.byF(Event.Fn.CLUSTER)) {
            String leader = Values.string(e.value(), "leader");
            for (Object o : Values.list(e.value(), "members")) {
                Map<String, Object> member = Values.map(o);
                Long t = Values.longValue(member, "timeline");
                if (t != null && Objects.equals(leader, Values.string(member, "name"))) {
                    elected.add(t);
                }
            }
        }
        Long finalTimeline = Values.longValue(finalRead.value(), "timeline");
        if (finalTimeline != null) {
            elected.add(finalTimeline);
            elected.removeIf(t -> t > finalTimeline);
        }
        return elected;
    }

    /** {@code pg1 tl1 0.00-14.03 s, pg2 tl2 25.23-60.00 s}. */
    private static String sequence(History h, List<Group> groups) {
        List<String> out = new ArrayList<>();
        for (Group g : groups) {
            long last = g.writes().stream().mapToLong(Write::ack).max().orElseThrow();
            out.add(g.node() + (g.timeline() == null ? "" : " tl" + g.timeline()) + " " + Format.at(h.seconds(g.firstAck()))
                    + "-" + Format.at(h.seconds(last)));
        }
        return String.join(", ", out);
    }
}
