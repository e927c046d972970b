package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges list-append transactions ({@code f = txn}) the way Jepsen's Elle does, for the anomalies it
 * can see (docs/list-append.md says which, and how):
 * <ul>
 *   <li>per read: {@code duplicates} (a value twice in one list), {@code unexpected_values} (a value no
 *       transaction appended to that key), {@code aborted_reads} (G1a: a value only a FAILed transaction
 *       appended), {@code intermediate_reads} (G1b: a list ending in a value its writer followed with
 *       another append to the same key), {@code internal} (a transaction's read disagrees with its own
 *       earlier read and appends of the key);</li>
 *   <li>per key: {@code incompatible_orders} (two reads of a key neither of which is a prefix of the
 *       other), {@code lost_appends} (an acknowledged append, or one some read saw, missing from the
 *       final read);</li>
 *   <li>over the dependency graph of committed transactions, with ww, wr and rw edges inferred from
 *       each key's version order (its longest read): {@code g0} (a cycle of ww edges), {@code g1c} (ww
 *       and wr edges), {@code g_single} (exactly one rw edge), {@code g2} (more than one rw edge).</li>
 * </ul>
 * The isolation level the transactions ran at ({@code isolation} in their values) decides which of
 * these make the run INVALID ({@link #forbidden}); the others are counted. UNKNOWN without any
 * committed transaction; without a final read, lost appends are not judged and a run with no other
 * anomaly is UNKNOWN.
 */
public final class ListAppendChecker implements Checker {
    public static final String NAME = "list_append";
    static final int MAX_EXAMPLES = 10;

    /** What it finds, in the order it reports them; the metric of each is its {@link #metric}. */
    enum Anomaly {
        /** The server ran the transaction at a weaker level than asked ({@code isolation_seen}). */
        DOWNGRADED("downgraded"),
        LOST_APPENDS("lost_appends"), DUPLICATES("duplicates"), UNEXPECTED_VALUES("unexpected_values"),
        INCOMPATIBLE_ORDERS("incompatible_orders"), INTERNAL("internal"), G1A("aborted_reads"), G1B("intermediate_reads"),
        G0("g0"), G1C("g1c"), G_SINGLE("g_single"), G2("g2");

        final String metric;

        Anomaly(String metric) {
            this.metric = metric;
        }
    }

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.ISOLATION)
            .metrics(Kind.COUNT, "ok", "failed", "indeterminate")
            .metrics(Kind.COUNT, java.util.Arrays.stream(Anomaly.values()).map(a -> a.metric).toArray(String[]::new))
            .metrics(Kind.TEXT, "isolation")
            .metrics(Kind.LIST, "anomalies", "forbidden_found", "examples")
            .appliesWhen(load -> load.appends() != null, "the load has no list-append transactions");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    /** The anomalies an isolation level rules out, as PostgreSQL implements the levels (docs/list-append.md). */
    static Set<Anomaly> forbidden(String isolation) {
        Set<Anomaly> always = EnumSet.of(Anomaly.DOWNGRADED, Anomaly.LOST_APPENDS, Anomaly.DUPLICATES, Anomaly.UNEXPECTED_VALUES,
                Anomaly.INCOMPATIBLE_ORDERS, Anomaly.INTERNAL, Anomaly.G1A, Anomaly.G1B, Anomaly.G0, Anomaly.G1C);
        switch (isolation == null ? "serializable" : isolation) {
            case "read_committed" -> { }
            case "repeatable_read" -> always.add(Anomaly.G_SINGLE);
            default -> {
                always.add(Anomaly.G_SINGLE);
                always.add(Anomaly.G2);
            }
        }
        return always;
    }

    private enum Status { OK, FAIL, INFO }

    private record Mop(boolean append, Object key, Long value, List<Long> read) {}

    private static final class Txn {
        final int id;
        final Op op;
        final Status status;
        final List<Mop> mops;
        boolean committed;

        Txn(int id, Op op, Status status, List<Mop> mops) {
            this.id = id;
            this.op = op;
            this.status = status;
            this.mops = mops;
            this.committed = status == Status.OK;
        }

        /** The values this transaction appended to {@code key}, in its order. */
        List<Long> appendsTo(Object key) {
            List<Long> out = new ArrayList<>();
            for (Mop m : mops) {
                if (m.append && m.key.equals(key)) {
                    out.add(m.value);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "T" + id + "(" + op.process() + ")";
        }
    }

    /** A read of a key's whole list: by a committed transaction, or the final read (reader null). */
    private record Read(Txn reader, Object key, List<Long> values) {}

    private static final int WW = 1, WR = 2, RW = 4;

    private final class Findings {
        final Map<Anomaly, Integer> counts = new java.util.EnumMap<>(Anomaly.class);
        final List<String> examples = new ArrayList<>();

        void found(Anomaly a, String example) {
            counts.merge(a, 1, Integer::sum);
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(a.metric + ": " + example);
            }
        }
    }

    @Override
    public CheckResult check(History h) {
        List<Txn> txns = new ArrayList<>();
        String isolation = null;
        for (Op op : h.ops(Event.Fn.TXN)) {
            Status status = op.isOk() ? Status.OK : op.isFail() ? Status.FAIL : Status.INFO;
            Object raw = op.isOk() ? op.completion().value().get("txn") : op.invoke() != null ? op.invoke().value().get("txn") : op.get("txn");
            txns.add(new Txn(txns.size(), op, status, mops(raw, status == Status.OK)));
            if (isolation == null) {
                isolation = Values.string(op.value(), "isolation");
            }
        }
        long ok = txns.stream().filter(t -> t.status == Status.OK).count();
        if (ok == 0) {
            return CheckResult.unknown(NAME, "No committed list-append transaction in the history: nothing to judge.");
        }
        Findings f = new Findings();

        // Who appended each value to each key (values are unique per key; the workload makes them unique per run).
        Map<Object, Map<Long, Txn>> writer = new HashMap<>();
        for (Txn t : txns) {
            for (Mop m : t.mops) {
                if (m.append) {
                    writer.computeIfAbsent(m.key, k -> new HashMap<>()).put(m.value, t);
                }
            }
        }

        List<Read> reads = new ArrayList<>();
        for (Txn t : txns) {
            if (t.status == Status.OK) {
                for (Mop m : t.mops) {
                    if (!m.append && m.read != null) {
                        reads.add(new Read(t, m.key, m.read));
                    }
                }
            }
        }
        Optional<Event> finalEvent = h.byF(Event.Fn.FINAL_READ, Event.Type.OK).stream().reduce((a, b) -> b);
        Map<Object, List<Long>> finalLists = finalEvent.map(e -> finalLists(e.value())).orElse(null);
        if (finalLists != null) {
            finalLists.forEach((k, v) -> reads.add(new Read(null, k, v)));
        }

        // A transaction whose outcome is unknown committed if anyone saw one of its appends.
        for (Read r : reads) {
            for (Long v : r.values) {
                Txn w = writer.getOrDefault(r.key, Map.of()).get(v);
                if (w != null && w.status == Status.INFO) {
                    w.committed = true;
                }
            }
        }

        for (Txn t : txns) {
            String seen = t.status == Status.OK ? Values.string(t.op.completion().value(), "isolation_seen") : null;
            String asked = Values.string(t.op.value(), "isolation");
            if (seen != null && asked != null && !seen.equals(asked)) {
                f.found(Anomaly.DOWNGRADED, t + " asked for " + asked + " and ran at " + seen);
            }
        }
        checkReads(reads, writer, f);
        checkInternal(txns, "read_committed".equals(isolation), f);
        Map<Object, List<Long>> order = versionOrders(reads, f);
        boolean lostJudged = finalLists != null;
        if (lostJudged) {
            checkLost(txns, finalLists, f);
        }
        checkCycles(txns, reads, writer, order, f);

        Set<Anomaly> forbidden = forbidden(isolation);
        List<String> found = new ArrayList<>();
        List<String> forbiddenFound = new ArrayList<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("isolation", isolation == null ? "serializable" : isolation);
        m.put("ok", ok);
        m.put("failed", txns.stream().filter(t -> t.status == Status.FAIL).count());
        m.put("indeterminate", txns.stream().filter(t -> t.status == Status.INFO).count());
        for (Anomaly a : Anomaly.values()) {
            int n = f.counts.getOrDefault(a, 0);
            if (a != Anomaly.LOST_APPENDS || lostJudged) {
                m.put(a.metric, n);
            }
            if (n > 0) {
                found.add(a.metric);
                if (forbidden.contains(a)) {
                    forbiddenFound.add(a.metric);
                }
            }
        }
        m.put("anomalies", found);
        m.put("forbidden_found", forbiddenFound);
        m.put("examples", List.copyOf(f.examples));
        String level = (String) m.get("isolation");
        if (!forbiddenFound.isEmpty()) {
            return new CheckResult(NAME, Verdict.INVALID, m, "At " + level + ", " + ok + " committed transactions show "
                    + String.join(", ", forbiddenFound) + " (first: " + f.examples.get(0) + ").");
        }
        String allowed = found.isEmpty() ? "" : " Found but allowed at " + level + ": " + String.join(", ", found) + ".";
        if (!lostJudged) {
            return new CheckResult(NAME, Verdict.UNKNOWN, m, "No final read of the lists: lost appends cannot be judged. "
                    + ok + " committed transactions show no other anomaly " + level + " forbids." + allowed);
        }
        return new CheckResult(NAME, Verdict.VALID, m, ok + " committed transactions at " + level
                + " show no anomaly it forbids." + allowed);
    }

    private static List<Mop> mops(Object raw, boolean withReads) {
        List<Mop> out = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            throw new IllegalArgumentException("a txn without its micro-operations: " + raw);
        }
        for (Object o : list) {
            if (!(o instanceof List<?> mop) || mop.size() != 3) {
                throw new IllegalArgumentException("a micro-operation is [f, key, value], got " + o);
            }
            String fn = String.valueOf(mop.get(0));
            Object key = Values.key(mop.get(1));
            if (fn.equals("append")) {
                out.add(new Mop(true, key, (Long) Values.key(mop.get(2)), null));
            } else if (fn.equals("r")) {
                out.add(new Mop(false, key, null, withReads && mop.get(2) != null ? longs(mop.get(2)) : null));
            } else {
                throw new IllegalArgumentException("unknown micro-operation '" + fn + "'");
            }
        }
        return out;
    }

    private static List<Long> longs(Object raw) {
        List<Long> out = new ArrayList<>();
        for (Object v : (List<?>) raw) {
            out.add((Long) Values.key(v));
        }
        return out;
    }

    private static Map<Object, List<Long>> finalLists(Map<String, Object> value) {
        Map<Object, List<Long>> out = new HashMap<>();
        Values.map(value.get("lists")).forEach((k, v) -> out.put(Values.key(k), longs(v)));
        return out;
    }

    private void checkReads(List<Read> reads, Map<Object, Map<Long, Txn>> writer, Findings f) {
        for (Read r : reads) {
            String who = r.reader == null ? "the final read" : r.reader.toString();
            Set<Long> seen = new java.util.HashSet<>();
            for (Long v : r.values) {
                if (!seen.add(v)) {
                    f.found(Anomaly.DUPLICATES, who + " read key " + r.key + " as " + r.values + ": " + v + " twice");
                }
                Txn w = writer.getOrDefault(r.key, Map.of()).get(v);
                if (w == null) {
                    f.found(Anomaly.UNEXPECTED_VALUES, who + " read " + v + " in key " + r.key + ", which no transaction appended");
                } else if (w.status == Status.FAIL) {
                    f.found(Anomaly.G1A, who + " read " + v + " in key " + r.key + ", appended by " + w + ", which failed");
                }
            }
            // G1b: the list ends in a value its writer appended before another of its appends to the same key.
            if (!r.values.isEmpty()) {
                Long last = r.values.get(r.values.size() - 1);
                Txn w = writer.getOrDefault(r.key, Map.of()).get(last);
                if (w != null && w != r.reader) {
                    List<Long> own = w.appendsTo(r.key);
                    if (!own.isEmpty() && !own.get(own.size() - 1).equals(last)) {
                        f.found(Anomaly.G1B, who + " read key " + r.key + " ending in " + last + ", an intermediate append of " + w
                                + " (which appended " + own + ")");
                    }
                }
            }
        }
    }

    /**
     * A transaction's reads must agree with what it read and appended before, on the same key. At read
     * committed each statement takes a new snapshot, so a later read may also hold what others committed
     * in between: there it must only extend the earlier read and end with the transaction's own appends.
     */
    private void checkInternal(List<Txn> txns, boolean perStatementSnapshots, Findings f) {
        for (Txn t : txns) {
            if (t.status != Status.OK) {
                continue;
            }
            Map<Object, List<Long>> known = new HashMap<>();    // the list as last read plus own appends since
            Map<Object, List<Long>> ownSince = new HashMap<>(); // own appends when nothing was read yet
            Map<Object, List<Long>> lastRead = new HashMap<>(); // the last read alone
            for (Mop m : t.mops) {
                if (m.append) {
                    if (known.containsKey(m.key)) {
                        known.get(m.key).add(m.value);
                    } else {
                        ownSince.computeIfAbsent(m.key, k -> new ArrayList<>()).add(m.value);
                    }
                } else if (m.read != null) {
                    List<Long> expected = known.get(m.key);
                    List<Long> own = ownSince.get(m.key);
                    boolean bad;
                    if (expected != null && perStatementSnapshots) {
                        List<Long> earlier = lastRead.get(m.key);
                        List<Long> mine = expected.subList(earlier.size(), expected.size());
                        bad = !isPrefix(earlier, m.read) || !endsWith(m.read, mine);
                    } else if (expected != null) {
                        bad = !expected.equals(m.read);
                    } else {
                        bad = own != null && !endsWith(m.read, own);
                    }
                    if (bad) {
                        f.found(Anomaly.INTERNAL, t + " read key " + m.key + " as " + m.read + " after "
                                + (expected != null ? "knowing it as " + expected : "appending " + own));
                    }
                    known.put(m.key, new ArrayList<>(m.read));
                    lastRead.put(m.key, m.read);
                    ownSince.remove(m.key);
                }
            }
        }
    }

    /** Each key's version order: its longest read, which every other read must be a prefix of. */
    private Map<Object, List<Long>> versionOrders(List<Read> reads, Findings f) {
        Map<Object, List<Read>> byKey = new TreeMap<>(Values::compareKeys);
        reads.forEach(r -> byKey.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r));
        Map<Object, List<Long>> order = new HashMap<>();
        for (Map.Entry<Object, List<Read>> e : byKey.entrySet()) {
            Read longest = e.getValue().stream().max(java.util.Comparator.comparingInt(r -> r.values.size())).orElseThrow();
            boolean compatible = true;
            for (Read r : e.getValue()) {
                if (!isPrefix(r.values, longest.values)) {
                    compatible = false;
                    f.found(Anomaly.INCOMPATIBLE_ORDERS, "key " + e.getKey() + " read as " + r.values + " by "
                            + (r.reader == null ? "the final read" : r.reader) + " and as " + longest.values + " by "
                            + (longest.reader == null ? "the final read" : longest.reader));
                }
            }
            if (compatible) {
                order.put(e.getKey(), longest.values); // no order to infer edges from when the reads disagree
            }
        }
        return order;
    }

    private static boolean endsWith(List<Long> list, List<Long> tail) {
        return list.size() >= tail.size() && list.subList(list.size() - tail.size(), list.size()).equals(tail);
    }

    private static boolean isPrefix(List<Long> a, List<Long> b) {
        return a.size() <= b.size() && b.subList(0, a.size()).equals(a);
    }

    private void checkLost(List<Txn> txns, Map<Object, List<Long>> finalLists, Findings f) {
        for (Txn t : txns) {
            if (!t.committed) {
                continue;
            }
            for (Mop m : t.mops) {
                if (m.append && !finalLists.getOrDefault(m.key, List.of()).contains(m.value)) {
                    f.found(Anomaly.LOST_APPENDS, t + " appended " + m.value + " to key " + m.key
                            + (t.status == Status.OK ? " (acknowledged)" : " (seen by a read)") + ", missing from the final read");
                }
            }
        }
    }

    private void checkCycles(List<Txn> txns, List<Read> reads, Map<Object, Map<Long, Txn>> writer,
                             Map<Object, List<Long>> order, Findings f) {
        int n = txns.size();
        List<Map<Integer, Integer>> edges = new ArrayList<>(); // from -> (to -> edge kinds)
        for (int i = 0; i < n; i++) {
            edges.add(new HashMap<>());
        }
        // ww: consecutive versions of a key
        for (Map.Entry<Object, List<Long>> e : order.entrySet()) {
            List<Long> vs = e.getValue();
            Map<Long, Txn> w = writer.getOrDefault(e.getKey(), Map.of());
            for (int i = 0; i + 1 < vs.size(); i++) {
                edge(edges, w.get(vs.get(i)), w.get(vs.get(i + 1)), WW);
            }
        }
        // wr and rw: from each committed read, what it observed and what it missed
        for (Read r : reads) {
            if (r.reader == null) {
                continue;
            }
            List<Long> vs = r.values;
            Map<Long, Txn> w = writer.getOrDefault(r.key, Map.of());
            int end = vs.size();
            while (end > 0 && w.get(vs.get(end - 1)) == r.reader) {
                end--; // its own appends at the end: what it saw of others ends before them
            }
            if (end > 0) {
                edge(edges, w.get(vs.get(end - 1)), r.reader, WR);
            }
            List<Long> o = order.get(r.key);
            if (o != null && end < o.size() && isPrefix(vs.subList(0, end), o)) {
                edge(edges, r.reader, w.get(o.get(end)), RW); // the next version, which it did not see (none if its own)
            }
        }
        int[] scc = components(edges, WW | WR | RW);
        // Each edge inside a strongly connected component closes at least one cycle; the cycle is classified by
        // the edges it needs, the most specific first, and counted once per set of transactions it runs through.
        Set<String> seen = new java.util.HashSet<>();
        for (int u = 0; u < n; u++) {
            for (Map.Entry<Integer, Integer> e : edges.get(u).entrySet()) {
                int v = e.getKey();
                int kinds = e.getValue();
                if (scc[u] != scc[v]) {
                    continue;
                }
                Anomaly kind = null;
                List<Integer> path = null;
                if ((kinds & WW) != 0) {
                    path = path(edges, v, u, WW);
                    kind = path == null ? null : Anomaly.G0;
                }
                if (kind == null && (kinds & (WW | WR)) != 0) {
                    path = path(edges, v, u, WW | WR);
                    kind = path == null ? null : Anomaly.G1C; // not all ww, or G0 would have found it
                }
                if (kind == null && (kinds & RW) != 0) {
                    path = path(edges, v, u, WW | WR);
                    kind = path != null ? Anomaly.G_SINGLE : null;
                    if (kind == null) {
                        path = path(edges, v, u, WW | WR | RW);
                        kind = path != null ? Anomaly.G2 : null;
                    }
                }
                if (kind != null && seen.add(kind + " " + new java.util.TreeSet<>(path))) {
                    f.found(kind, cycle(txns, u, path, edges, kind == Anomaly.G_SINGLE ? RW : kind == Anomaly.G2 ? RW : WW | WR));
                }
            }
        }
    }

    private static void edge(List<Map<Integer, Integer>> edges, Txn from, Txn to, int kind) {
        if (from == null || to == null || from == to || !from.committed || !to.committed) {
            return;
        }
        edges.get(from.id).merge(to.id, kind, (a, b) -> a | b);
    }

    /** The shortest path from {@code from} to {@code to} over edges of the given kinds (nodes, both ends), or null. */
    private static List<Integer> path(List<Map<Integer, Integer>> edges, int from, int to, int kinds) {
        Map<Integer, Integer> parent = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>();
        parent.put(from, from);
        queue.add(from);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            if (u == to) {
                List<Integer> p = new ArrayList<>();
                for (int x = to; x != from; x = parent.get(x)) {
                    p.add(0, x);
                }
                p.add(0, from);
                return p;
            }
            for (Map.Entry<Integer, Integer> e : edges.get(u).entrySet()) {
                if ((e.getValue() & kinds) != 0 && !parent.containsKey(e.getKey())) {
                    parent.put(e.getKey(), u);
                    queue.add(e.getKey());
                }
            }
        }
        return null;
    }

    /** A cycle u -> path[0] -> ... -> u as text: T3 -ww-> T5 -rw-> T3; the first edge shown as the kind it was taken for. */
    private static String cycle(List<Txn> txns, int u, List<Integer> path, List<Map<Integer, Integer>> edges, int firstKind) {
        StringBuilder s = new StringBuilder(txns.get(u).toString());
        int prev = u;
        for (int x : path) {
            int k = edges.get(prev).get(x);
            s.append(" -").append(kinds(prev == u && x == path.get(0) && (k & firstKind) != 0 ? k & firstKind : k)).append("-> ").append(txns.get(x));
            prev = x;
        }
        return s.toString();
    }

    private static String kinds(int k) {
        List<String> out = new ArrayList<>();
        if ((k & WW) != 0) out.add("ww");
        if ((k & WR) != 0) out.add("wr");
        if ((k & RW) != 0) out.add("rw");
        return String.join("/", out);
    }

    /** Strongly connected components (Tarjan, iterative): a component id per node. */
    private static int[] components(List<Map<Integer, Integer>> edges, int kinds) {
        int n = edges.size();
        int[] index = new int[n];
        int[] low = new int[n];
        int[] comp = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        int counter = 0;
        int comps = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            Deque<int[]> work = new ArrayDeque<>(); // {node, position in its neighbour list}
            Map<Integer, List<Integer>> nbrs = new HashMap<>();
            work.push(new int[] {root, 0});
            while (!work.isEmpty()) {
                int[] top = work.peek();
                int u = top[0];
                if (top[1] == 0 && index[u] < 0) {
                    index[u] = low[u] = counter++;
                    stack.push(u);
                    onStack[u] = true;
                    nbrs.put(u, edges.get(u).entrySet().stream().filter(e -> (e.getValue() & kinds) != 0).map(Map.Entry::getKey).toList());
                }
                List<Integer> out = nbrs.get(u);
                if (top[1] < out.size()) {
                    int v = out.get(top[1]++);
                    if (index[v] < 0) {
                        work.push(new int[] {v, 0});
                    } else if (onStack[v]) {
                        low[u] = Math.min(low[u], index[v]);
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    int parent = work.peek()[0];
                    low[parent] = Math.min(low[parent], low[u]);
                }
                if (low[u] == index[u]) {
                    int x;
                    do {
                        x = stack.pop();
                        onStack[x] = false;
                        comp[x] = comps;
                    } while (x != u);
                    comps++;
                }
            }
        }
        return comp;
    }
}
