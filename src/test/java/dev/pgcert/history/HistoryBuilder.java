package dev.pgcert.history;

import dev.pgcert.history.Event.Fn;
import dev.pgcert.history.Event.Type;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Hand-made histories that read like Jepsen tests: times are seconds since the start of the run,
 * keys count up on their own.
 *
 * <pre>
 * History h = history()
 *         .steadyWrites("w1", 0, 10, 0.1, "pg1", 1)   // ok writes every 100 ms
 *         .fault("f1", "kill", "pg1", 10, 35)
 *         .leader(17.6, "pg1", "pg2", 2L)
 *         .steadyWrites("w1", 21, 30, 0.1, "pg2", 2)
 *         .build();
 * </pre>
 */
public final class HistoryBuilder {
    /** nanoTime has an arbitrary origin; tests must not depend on it being 0. */
    public static final long ORIGIN = 987_654_321_000L;
    /** How long a steady write takes from invoke to completion. */
    public static final double WRITE_LATENCY = 0.002;

    private final List<Event> events = new ArrayList<>();
    private final List<Long> okKeys = new ArrayList<>();
    private long nextKey = 1;

    public static HistoryBuilder history() {
        return new HistoryBuilder();
    }

    public static long ns(double seconds) {
        return ORIGIN + Math.round(seconds * 1e9);
    }

    public static Map<String, Object> kv(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public HistoryBuilder event(double at, String process, Type type, String f, Object... keyValues) {
        events.add(new Event(ns(at), process, type, f, kv(keyValues)));
        return this;
    }

    public HistoryBuilder invoke(double at, String process, String f, Object... kv) {
        return event(at, process, Type.INVOKE, f, kv);
    }

    public HistoryBuilder ok(double at, String process, String f, Object... kv) {
        return event(at, process, Type.OK, f, kv);
    }

    public HistoryBuilder fail(double at, String process, String f, Object... kv) {
        return event(at, process, Type.FAIL, f, kv);
    }

    public HistoryBuilder info(double at, String process, String f, Object... kv) {
        return event(at, process, Type.INFO, f, kv);
    }

    // ---- writes ----

    public long nextKey() {
        return nextKey;
    }

    /** An acknowledged write of the next key, on {@code node} at {@code timeline} (null: not reported). */
    public HistoryBuilder write(String process, double invokeAt, double okAt, String node, Long timeline) {
        long key = nextKey++;
        invoke(invokeAt, process, Fn.WRITE, "key", key, "endpoint", "rw");
        Map<String, Object> v = kv("key", key, "node", node);
        if (timeline != null) {
            v.put("timeline", timeline);
        }
        events.add(new Event(ns(okAt), process, Type.OK, Fn.WRITE, v));
        okKeys.add(key);
        return this;
    }

    public HistoryBuilder failedWrite(String process, double invokeAt, double at) {
        long key = nextKey++;
        invoke(invokeAt, process, Fn.WRITE, "key", key);
        return fail(at, process, Fn.WRITE, "key", key, "error", "connection refused", "sqlstate", "08001");
    }

    public HistoryBuilder unknownWrite(String process, double invokeAt, double at) {
        long key = nextKey++;
        invoke(invokeAt, process, Fn.WRITE, "key", key);
        return info(at, process, Fn.WRITE, "key", key, "error", "connection lost during commit", "sqlstate", "08006");
    }

    /** OK writes invoked every {@code every} seconds in [from, to), each taking {@link #WRITE_LATENCY}. */
    public HistoryBuilder steadyWrites(String process, double from, double to, double every, String node, long timeline) {
        for (int i = 0; from + i * every < to - 1e-9; i++) {
            double t = from + i * every;
            write(process, t, t + WRITE_LATENCY, node, timeline);
        }
        return this;
    }

    /** Failed writes invoked every {@code every} seconds in [from, to), each failing after 1 ms. */
    public HistoryBuilder failingWrites(String process, double from, double to, double every) {
        for (int i = 0; from + i * every < to - 1e-9; i++) {
            double t = from + i * every;
            failedWrite(process, t, t + 0.001);
        }
        return this;
    }

    public List<Long> okKeys() {
        return List.copyOf(okKeys);
    }

    // ---- reads ----

    public HistoryBuilder read(String process, double invokeAt, double okAt, String node, boolean inRecovery,
                               Long maxKey, Long ackedMaxKey) {
        invoke(invokeAt, process, Fn.READ, "endpoint", inRecovery ? "ro" : "rw");
        Map<String, Object> v = kv("node", node, "in_recovery", inRecovery, "max_key", maxKey);
        if (ackedMaxKey != null) {
            v.put("acked_max_key", ackedMaxKey);
        }
        events.add(new Event(ns(okAt), process, Type.OK, Fn.READ, v));
        return this;
    }

    public HistoryBuilder failedRead(String process, double invokeAt, double at) {
        invoke(invokeAt, process, Fn.READ, "endpoint", "ro");
        return fail(at, process, Fn.READ, "error", "connection refused", "sqlstate", "08001");
    }

    // ---- nemesis and phases ----

    /** A fault window; {@code end} null for a fault that never ended. */
    public HistoryBuilder fault(String id, String kind, String target, double start, Double end) {
        info(start, "nemesis", Fn.FAULT, "id", id, "kind", kind, "phase", "start", "target", target);
        if (end != null) {
            info(end, "nemesis", Fn.FAULT, "id", id, "kind", kind, "phase", "end", "target", target);
        }
        return this;
    }

    /** A step that changes a setting and takes nothing down (pause, config, backup): its start says {@code disrupts: false}. */
    public HistoryBuilder settingStep(String id, String kind, double start, Double end) {
        info(start, "nemesis", Fn.FAULT, "id", id, "kind", kind, "phase", "start", "target", "cluster", "disrupts", false);
        if (end != null) {
            info(end, "nemesis", Fn.FAULT, "id", id, "kind", kind, "phase", "end", "target", "cluster");
        }
        return this;
    }

    public HistoryBuilder phase(String name, double start, double end) {
        info(start, "scenario", Fn.PHASE, "id", name, "name", name, "phase", "start");
        return info(end, "scenario", Fn.PHASE, "id", name, "name", name, "phase", "end");
    }

    // ---- samplers ----

    public HistoryBuilder leader(double at, String from, String to, Long timeline) {
        Map<String, Object> v = new HashMap<>();
        v.put("from", from);
        v.put("to", to);
        if (timeline != null) {
            v.put("timeline", timeline);
        }
        events.add(new Event(ns(at), "sampler", Type.INFO, Fn.LEADER, v));
        return this;
    }

    /** A Patroni /cluster sample; members as {@link #member}. */
    @SafeVarargs
    public final HistoryBuilder cluster(double at, String leader, Map<String, Object>... members) {
        Map<String, Object> v = new HashMap<>();
        v.put("leader", leader);
        v.put("members", Arrays.asList(members));
        events.add(new Event(ns(at), "sampler", Type.INFO, Fn.CLUSTER, v));
        return this;
    }

    public static Map<String, Object> member(String name, String role, String state, long timeline) {
        return kv("name", name, "role", role, "state", state, "timeline", timeline, "lag", 0L);
    }

    public HistoryBuilder lag(double at, String upstream, String replica, Long lagBytes, Double replayLagMs) {
        Map<String, Object> v = new HashMap<>();
        v.put("upstream", upstream);
        v.put("replica", replica);
        v.put("lag_bytes", lagBytes);
        v.put("replay_lag_ms", replayLagMs);
        events.add(new Event(ns(at), "sampler", Type.INFO, Fn.LAG, v));
        return this;
    }

    public HistoryBuilder replay(double at, String replica, long lagBytes) {
        return info(at, "sampler", Fn.REPLAY, "replica", replica, "replay_lsn", 1_000_000L, "lag_bytes", lagBytes);
    }

    // ---- final read ----

    public HistoryBuilder finalRead(double at, String node, Collection<Long> keys) {
        return ok(at, "checker", Fn.FINAL_READ, "node", node, "keys", List.copyOf(keys));
    }

    /** A final read holding the acknowledged keys that {@code keep} accepts, plus {@code extra}. */
    public HistoryBuilder finalReadOf(double at, String node, LongPredicate keep, Long... extra) {
        List<Long> keys = new ArrayList<>(okKeys.stream().filter(keep::test).toList());
        keys.addAll(Arrays.asList(extra));
        return finalRead(at, node, keys);
    }

    // ---- bank ----

    public HistoryBuilder bankSetup(double at, long accounts, long total) {
        return info(at, "bank", Fn.BANK_SETUP, "accounts", accounts, "total_expected", total);
    }

    public HistoryBuilder transfer(String process, double invokeAt, double okAt, int from, int to, long amount) {
        invoke(invokeAt, process, Fn.TRANSFER, "from", from, "to", to, "amount", amount);
        return ok(okAt, process, Fn.TRANSFER);
    }

    public HistoryBuilder balance(String process, double invokeAt, double okAt, long total, String node) {
        invoke(invokeAt, process, Fn.BALANCE);
        return ok(okAt, process, Fn.BALANCE, "total", total, "node", node);
    }

    public History build() {
        return History.of(events);
    }
}
