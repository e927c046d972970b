package dev.pgcert.check;

import dev.pgcert.history.Values;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The window [earliest, latest], in seconds from the fault's injection, in which each failover stage
 * should happen, predicted from the cluster's settings alone (the {@code failover-settings} event):
 * Patroni's ttl, loop_wait and retry_timeout, HAProxy's inter, fall and rise, PgBouncer's
 * server_login_retry and server_connect_timeout, the probe's cadence and the pool's timeouts. Read
 * off Patroni 3.0.2 with etcd v3:
 * <ul>
 * <li>The leader refreshes its key's lease once per HA loop, every loop_wait. A crashed or frozen
 *     leader (or one cut off from etcd) stops refreshing, so its key expires ttl after the last
 *     refresh: ttl - loop_wait to ttl after the fault took effect, plus up to etcd's lease-expiry
 *     tick (500 ms in etcd 3.4). In a switchover the leader releases the key itself after stopping
 *     PostgreSQL, in its next HA loop (the REST call wakes it): 0 to loop_wait plus a clean stop.</li>
 * <li>Replicas watch the cluster's keys; a changed leader key wakes their HA loop at once
 *     (Etcd3.watch and KVCache in patroni/dcs/etcd3.py), at the latest it runs loop_wait later: the
 *     new holder takes the key 0 to loop_wait after it is gone.</li>
 * <li>The new leader asks PostgreSQL to promote in the same loop; recovery ends within
 *     {@link #PROMOTE_MAX}.</li>
 * <li>Patroni's {@code /primary} answers 200 once it holds the key and set the role; HAProxy needs
 *     rise good checks inter apart, the first within inter: (rise - 1) * inter to rise * inter.</li>
 * <li>PgBouncer, after a failed server login, refuses the pool's clients for server_login_retry,
 *     and a connect may take server_connect_timeout: a server connection 0 to their sum after the
 *     router routes.</li>
 * <li>The probe's next attempt comes within 1 / rate of that.</li>
 * <li>The pooled client can lag the probe by a statement stuck on a dead connection (socketTimeout)
 *     plus a wait for a pooled connection (connectionTimeout).</li>
 * </ul>
 * Every latest bound also allows the observer's polling period (the stage is seen up to one period
 * late) and, for crashes, the time the fault took to return (the kill acted somewhere inside it).
 */
public final class FailoverPrediction {
    /** etcd 3.4's lessor looks for expired leases every 500 ms. */
    static final double ETCD_LEASE_TICK = 0.5;
    /** PostgreSQL ends recovery this soon after pg_ctl promote (no checkpoint is waited for). */
    static final double PROMOTE_MAX = 1.0;
    /** A clean (fast) stop of PostgreSQL in a switchover: its shutdown checkpoint. */
    static final double CLEAN_STOP_MAX = 3.0;

    /** How a fault leads to a failover. */
    public enum Mode {
        /** The leader stops: SIGKILL or stop of its container, or frozen (SIGSTOP). */
        CRASH,
        /** The leader is cut off from etcd but alive: it demotes itself, its key expires. */
        DCS_CUT,
        /** A planned switchover: the leader releases its key. */
        SWITCHOVER;

        /** The mode of a fault kind (and its detail), or empty when no failover is predicted for it. */
        public static Optional<Mode> of(String kind, Map<String, Object> detail) {
            if (kind == null) {
                return Optional.empty();
            }
            return switch (kind) {
                case "kill", "stop", "freeze" -> Optional.of(CRASH);
                case "switchover" -> Optional.of(SWITCHOVER);
                case "partition" -> "dcs".equals(Values.string(detail, "from")) ? Optional.of(DCS_CUT) : Optional.empty();
                case "link-down", "link-timeout" -> "dcs".equals(Values.string(detail, "link")) ? Optional.of(DCS_CUT) : Optional.empty();
                default -> Optional.empty();
            };
        }
    }

    /** A predicted window, seconds from the injection, with the reasoning behind it. */
    public record Window(double earliest, double latest, String basis) {
        public boolean contains(double s) {
            return containsObserved(s, 0);
        }

        /**
         * A step measured between two observed stages: the stage before may have happened up to {@code slack}
         * (a polling period) before it was seen, so the step may look that much shorter than it was.
         */
        public boolean containsObserved(double s, double slack) {
            return s >= earliest - slack - 1e-9 && s <= latest + 1e-9;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("earliest", Stats.round(earliest, 3));
            m.put("latest", Stats.round(latest, 3));
            return m;
        }
    }

    private FailoverPrediction() {}

    /**
     * The windows of every stage this topology has, in stage order.
     *
     * @param settings      the {@code failover-settings} event's value
     * @param mode          how the fault fails over
     * @param faultReturned seconds the fault's injection took to return (0 if unknown)
     */
    public static Map<FailoverStage, Window> predict(Map<String, Object> settings, Mode mode, double faultReturned) {
        Inputs in = Inputs.of(settings);
        Map<FailoverStage, Window> w = new LinkedHashMap<>();

        Window gone = switch (mode) {
            case CRASH, DCS_CUT -> new Window(in.ttl() - in.loopWait(), in.ttl() + faultReturned + ETCD_LEASE_TICK + in.dcsObs(),
                    "last lease refresh up to loop_wait before the fault; expires ttl after it (+ etcd's 0.5 s expiry tick"
                            + (faultReturned > 0 ? ", + the " + Format.seconds(faultReturned) + " the fault took to return" : "") + ")");
            case SWITCHOVER -> new Window(0, in.loopWait() + CLEAN_STOP_MAX + in.dcsObs(),
                    "the leader's next HA loop stops PostgreSQL cleanly (up to " + Format.seconds(CLEAN_STOP_MAX) + ") and releases the key");
        };
        w.put(FailoverStage.LEADER_KEY_GONE, gone);
        Window acquired = new Window(gone.earliest, gone.latest + in.loopWait(),
                "a replica's HA loop, woken by the etcd watch, at the latest loop_wait later, takes the key");
        w.put(FailoverStage.LEADER_KEY_ACQUIRED, acquired);
        Window promoted = new Window(acquired.earliest, acquired.latest + PROMOTE_MAX + in.obs(),
                "pg_ctl promote in the same loop; recovery ends within " + Format.seconds(PROMOTE_MAX));
        w.put(FailoverStage.PROMOTED, promoted);
        Window routed = in.pinned()
                ? new Window(promoted.earliest, promoted.latest + in.obs(), "the read-write port is pinned: no check to wait for")
                : new Window(acquired.earliest + (in.rise() - 1) * in.inter(), promoted.latest + in.rise() * in.inter() + in.obs(),
                "HAProxy needs rise " + (int) in.rise() + " good /primary check(s), inter " + Format.seconds(in.inter()) + " apart");
        w.put(FailoverStage.ROUTER_UP, routed);
        Window last = routed;
        if (in.pooler()) {
            double retry = orElse(settings, "server_login_retry", 15);
            double connect = orElse(settings, "server_connect_timeout", 15);
            last = new Window(routed.earliest, routed.latest + retry + connect + in.obs(),
                    "PgBouncer refuses for server_login_retry " + Format.seconds(retry) + " after a failed login, then connects (server_connect_timeout "
                            + Format.seconds(connect) + ")");
            w.put(FailoverStage.POOLER_CONNECTED, last);
        }
        double recheck = orElse(settings, "client_host_recheck", 0);
        Window probe = new Window(routed.earliest, last.latest + recheck + in.probePeriod() + in.obs(),
                "the probe's next attempt, every " + Format.seconds(in.probePeriod())
                        + (recheck > 0 ? ", after PgJDBC stops trusting a host's old role (hostRecheckSeconds " + Format.seconds(recheck) + ")" : ""));
        w.put(FailoverStage.PROBE_WROTE, probe);
        double socket = orElse(settings, "pool_socket_timeout", 0);
        double connection = orElse(settings, "pool_connection_timeout", 0);
        w.put(FailoverStage.CLIENT_WROTE, new Window(probe.earliest, probe.latest + socket + connection,
                "a statement stuck on a dead connection (socketTimeout " + Format.seconds(socket)
                        + ") plus a wait for a pooled connection (connectionTimeout " + Format.seconds(connection) + ")"));
        return w;
    }

    /** A window for one stage measured from the stage it follows (its anchor), for pinpointing which step was off. */
    public record Step(FailoverStage after, Window window) {}

    /**
     * The window of each stage measured from the stage it directly depends on, so that a late stage is
     * told apart from one that only inherited an earlier stage's delay: the key is taken 0 to loop_wait
     * after it was gone; promotion within {@link #PROMOTE_MAX} of taking the key; the router's UP
     * (rise - 1) * inter to rise * inter + promotion after taking the key (Patroni's /primary may answer
     * 200 before recovery has ended); the pooler's connection and the probe's write after the router's UP
     * (a login refused for server_login_retry, a connect, the probe's cadence and an attempt in flight up
     * to its timeouts); the pooled client's write from the probe's (it may come first: the probe samples).
     */
    public static Map<FailoverStage, Step> steps(Map<String, Object> settings) {
        Inputs in = Inputs.of(settings);
        double probeAttempt = orElse(settings, "probe_connect_timeout", 1) + 1 + orElse(settings, "probe_socket_timeout", 1);
        double retry = in.pooler() ? orElse(settings, "server_login_retry", 15) : 0;
        double connect = in.pooler() ? orElse(settings, "server_connect_timeout", 15) : 0;
        Map<FailoverStage, Step> w = new LinkedHashMap<>();
        w.put(FailoverStage.LEADER_KEY_ACQUIRED, new Step(FailoverStage.LEADER_KEY_GONE,
                new Window(0, in.loopWait() + in.dcsObs(), "a replica's HA loop takes the key, woken by the watch, at the latest loop_wait later")));
        w.put(FailoverStage.PROMOTED, new Step(FailoverStage.LEADER_KEY_ACQUIRED,
                new Window(0, PROMOTE_MAX + in.obs() + in.dcsObs(), "recovery ends within " + Format.seconds(PROMOTE_MAX) + " of pg_ctl promote")));
        w.put(FailoverStage.ROUTER_UP, new Step(FailoverStage.LEADER_KEY_ACQUIRED, in.pinned()
                ? new Window(0, PROMOTE_MAX + 2 * in.obs() + in.dcsObs(), "pinned: no check")
                : new Window(Math.max(0, (in.rise() - 1) * in.inter() - in.obs() - in.dcsObs()), PROMOTE_MAX + in.rise() * in.inter() + in.obs() + in.dcsObs(),
                "rise " + (int) in.rise() + " good /primary check(s), inter " + Format.seconds(in.inter()) + " apart")));
        if (in.pooler()) {
            w.put(FailoverStage.POOLER_CONNECTED, new Step(FailoverStage.ROUTER_UP,
                    new Window(-in.obs(), retry + connect + in.probePeriod() + 2 * in.obs(), "a login refused for server_login_retry, then a connect")));
        }
        w.put(FailoverStage.PROBE_WROTE, new Step(FailoverStage.ROUTER_UP,
                new Window(-in.obs(), retry + connect + orElse(settings, "client_host_recheck", 0) + in.probePeriod() + probeAttempt + in.obs(),
                        "the pooler's login retry and connect, the probe's next attempt")));
        w.put(FailoverStage.CLIENT_WROTE, new Step(FailoverStage.PROBE_WROTE,
                new Window(-(in.probePeriod() + probeAttempt), orElse(settings, "pool_socket_timeout", 0) + orElse(settings, "pool_connection_timeout", 0) + in.obs(),
                        "socketTimeout plus connectionTimeout after the probe (the probe samples, so the client may come first)")));
        return w;
    }

    private static double num(Map<String, Object> settings, String key) {
        Double d = Values.doubleValue(settings, key);
        if (d == null) {
            throw new IllegalArgumentException("failover-settings has no " + key);
        }
        return d;
    }

    /** The settings both predictions read, from the {@code failover-settings} event. */
    private record Inputs(double ttl, double loopWait, double inter, double rise, double obs, double dcsObs,
                          boolean pooler, boolean pinned, double probePeriod) {
        static Inputs of(Map<String, Object> settings) {
            return new Inputs(num(settings, "ttl"), num(settings, "loop_wait"), num(settings, "router_inter"),
                    num(settings, "router_rise"), orElse(settings, "observer_period", 0.1),
                    orElse(settings, "dcs_observer_period", 0.05), Boolean.TRUE.equals(Values.bool(settings, "pooler")),
                    Boolean.TRUE.equals(Values.bool(settings, "router_pinned")), 1 / orElse(settings, "probe_per_second", 20));
        }
    }

    /** How late an observer may see a stage: its polling period (the slowest observer's). */
    public static double observationSlack(Map<String, Object> settings) {
        return Math.max(orElse(settings, "observer_period", 0.1), orElse(settings, "dcs_observer_period", 0.05));
    }

    private static double orElse(Map<String, Object> settings, String key, double fallback) {
        Double d = Values.doubleValue(settings, key);
        return d == null ? fallback : d;
    }
}
