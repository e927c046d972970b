package dev.pgcert.check;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;
import dev.pgcert.history.Window;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a failover's time went: each {@link FailoverStage} of the first fault, taken from the
 * observers' events on the history, in seconds from the fault's injection, next to the window
 * {@link FailoverPrediction} predicts from the settings. Metrics, under {@code failover_time}:
 * <ul>
 * <li>{@code probe}: how long writes were down for a new client: from the last OK probe write
 *     before the outage to the first on the new leader ({@code probe_ro}: the same for probe reads);</li>
 * <li>{@code stages.<stage>}: seconds from the injection; a stage that was not observed is absent
 *     (unknown), never 0;</li>
 * <li>{@code predicted.<stage>.earliest/latest}, and {@code predicted.probe}, {@code predicted.client}
 *     (the windows of the probe's and the pooled client's first write), for limits such as
 *     {@code failover_time.probe: "<= predicted"};</li>
 * <li>{@code client_minus_probe} (the pooled client's first write on the new leader minus the
 *     probe's) and {@code client_minus_probe_cause}: the errors the pooled client saw meanwhile and
 *     the pool setting they point to;</li>
 * <li>{@code predicted_step.<stage>.earliest/latest}: the window of a stage measured from the stage it
 *     depends on ({@link FailoverPrediction#steps}), which tells a late step from one that inherited a delay;</li>
 * <li>{@code stages_outside_window} (count, both kinds of window) and {@code stage_anomalies} (what was flagged).</li>
 * </ul>
 * Verdict: INVALID when the history contradicts itself: the probe wrote on the new leader while the
 * router was still seen not routing to it (every path to the new leader goes through the router, so
 * either an observer's clock or the harness's picture of the path is wrong, and no figure of this
 * run can be trusted); UNKNOWN without a fault, without the settings, or without a new leader;
 * VALID otherwise. A stage outside its window is flagged in the metrics and the explanation without
 * changing the verdict: limit {@code stages_outside_window} to make it fail a scenario.
 */
public final class FailoverStagesChecker implements Checker {
    public static final String NAME = FailoverTimeChecker.NAME;
    private static final double NANOS = 1e9;

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.SLOW_FAILOVER)
            .metrics(MetricCatalog.Kind.TIME, "probe", "probe_ro", "client_minus_probe")
            .metrics(MetricCatalog.Kind.TEXT, "client_minus_probe_cause")
            .metrics(MetricCatalog.Kind.COUNT, "stages_outside_window")
            .metrics(MetricCatalog.Kind.LIST, "stage_anomalies")
            .nested(MetricCatalog.Kind.TIME, "stages", "predicted", "predicted_step");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    /** The stages' times (nanos) of the first fault, for plots; empty when there is no fault. */
    public static Map<FailoverStage, Long> stageTimes(History h) {
        Optional<Window> fault = h.firstFault();
        if (fault.isEmpty()) {
            return Map.of();
        }
        return new Stages(h, fault.get()).times;
    }

    @Override
    public CheckResult check(History h) {
        Optional<Window> first = h.firstFault();
        if (first.isEmpty()) {
            return CheckResult.unknown(NAME, "No fault in the history: no failover stages to time.");
        }
        Window fault = first.get();
        Stages s = new Stages(h, fault);
        long t0 = fault.startNanos();
        Map<String, Object> metrics = new LinkedHashMap<>();
        Map<String, Object> stages = new LinkedHashMap<>();
        s.times.forEach((stage, nanos) -> stages.put(stage.metric(), secs((nanos - t0) / NANOS)));
        metrics.put("stages", stages);
        List<String> anomalies = new ArrayList<>();
        StringBuilder text = new StringBuilder();

        Long probeGap = s.probeGap;
        if (probeGap != null) {
            metrics.put("probe", secs(probeGap / NANOS));
        }
        if (s.probeReadGap != null) {
            metrics.put("probe_ro", secs(s.probeReadGap / NANOS));
        }

        Optional<Event> settings = h.first(Event.Fn.FAILOVER_SETTINGS);
        Optional<FailoverPrediction.Mode> mode = FailoverPrediction.Mode.of(fault.name(), faultDetail(h, fault));
        int outside = 0;
        if (settings.isPresent() && mode.isPresent()) {
            double returned = s.times.containsKey(FailoverStage.FAULT_RETURNED) && mode.get() != FailoverPrediction.Mode.SWITCHOVER
                    ? (s.times.get(FailoverStage.FAULT_RETURNED) - t0) / NANOS : 0;
            Map<FailoverStage, FailoverPrediction.Window> windows = FailoverPrediction.predict(settings.get().value(), mode.get(), returned);
            Map<String, Object> predicted = new LinkedHashMap<>();
            windows.forEach((stage, w) -> predicted.put(stage.metric(), w.toMap()));
            Optional.ofNullable(windows.get(FailoverStage.PROBE_WROTE)).ifPresent(w -> predicted.put("probe", w.toMap()));
            Optional.ofNullable(windows.get(FailoverStage.CLIENT_WROTE)).ifPresent(w -> predicted.put("client", w.toMap()));
            metrics.put("predicted", predicted);
            for (Map.Entry<FailoverStage, FailoverPrediction.Window> e : windows.entrySet()) {
                Long at = s.times.get(e.getKey());
                if (at != null && !e.getValue().contains((at - t0) / NANOS)) {
                    outside++;
                    anomalies.add(e.getKey().metric() + " at " + Format.seconds((at - t0) / NANOS) + " is outside its predicted window ["
                            + Format.seconds(e.getValue().earliest()) + ", " + Format.seconds(e.getValue().latest()) + "] ("
                            + e.getValue().basis() + ")");
                }
            }
            Map<String, Object> stepWindows = new LinkedHashMap<>();
            // Each stage is seen up to one poll after it happened, so a step may look that much shorter than it was.
            double slack = FailoverPrediction.observationSlack(settings.get().value());
            for (Map.Entry<FailoverStage, FailoverPrediction.Step> e : FailoverPrediction.steps(settings.get().value()).entrySet()) {
                FailoverPrediction.Step step = e.getValue();
                stepWindows.put(e.getKey().metric(), step.window().toMap());
                Long at = s.times.get(e.getKey());
                Long from = s.times.get(step.after());
                if (at != null && from != null && !step.window().containsObserved((at - from) / NANOS, slack)) {
                    outside++;
                    anomalies.add(e.getKey().metric() + " came " + Format.seconds((at - from) / NANOS) + " after " + step.after().metric()
                            + ", outside its predicted step [" + Format.seconds(step.window().earliest()) + ", "
                            + Format.seconds(step.window().latest()) + "] (" + step.window().basis() + ")");
                }
            }
            metrics.put("predicted_step", stepWindows);
            metrics.put("stages_outside_window", outside);
        } else {
            text.append(settings.isEmpty() ? "No failover-settings event: no windows predicted. "
                    : "No prediction for a '" + fault.name() + "' fault. ");
        }

        if (s.times.containsKey(FailoverStage.CLIENT_WROTE) && s.times.containsKey(FailoverStage.PROBE_WROTE)) {
            long from = s.times.get(FailoverStage.PROBE_WROTE);
            long to = s.times.get(FailoverStage.CLIENT_WROTE);
            metrics.put("client_minus_probe", secs((to - from) / NANOS));
            metrics.put("client_minus_probe_cause", ClientLag.explain(h, from, to, settings.map(Event::value).orElse(Map.of())));
        }

        String routerAnomaly = s.probeBeforeRouter;
        if (routerAnomaly != null) {
            anomalies.add(0, routerAnomaly);
        }
        metrics.put("stage_anomalies", anomalies);

        Verdict verdict;
        if (routerAnomaly != null) {
            verdict = Verdict.INVALID;
        } else if (s.newLeader == null && mode.isEmpty()) {
            verdict = Verdict.VALID; // a fault that is not meant to fail over: nothing to time
            text.append("No new leader key holder after the fault ").append(fault.id()).append(" (").append(fault.name())
                    .append("), which is not one that fails over: no stages to time. ");
        } else if (s.newLeader == null) {
            verdict = Verdict.UNKNOWN;
            text.append("No new leader key holder after the fault ").append(fault.id()).append(": no failover to break into stages. ");
        } else if (settings.isEmpty()) {
            verdict = Verdict.UNKNOWN;
        } else {
            verdict = Verdict.VALID;
        }
        text.append(describe(s, t0));
        if (!anomalies.isEmpty()) {
            text.append(" Flagged: ").append(String.join("; ", anomalies)).append('.');
        }
        return new CheckResult(NAME, verdict, metrics, text.toString().trim());
    }

    private static String describe(Stages s, long t0) {
        List<String> parts = new ArrayList<>();
        for (FailoverStage stage : FailoverStage.values()) {
            Long at = s.times.get(stage);
            parts.add(stage.label() + " " + (at == null ? "unknown" : Format.seconds((at - t0) / NANOS)));
        }
        return "Stages from the fault's injection" + (s.oldLeader == null ? "" : " (" + s.oldLeader + " -> "
                + (s.newLeader == null ? "?" : s.newLeader) + ")") + ": " + String.join(", ", parts) + ".";
    }

    private static Map<String, Object> faultDetail(History h, Window fault) {
        for (Event e : h.byF(Event.Fn.FAULT)) {
            if (e.nanos() == fault.startNanos() && Objects.equals(Values.string(e.value(), "id"), fault.id())) {
                Object d = e.value().get("detail");
                return d == null ? Map.of() : Values.map(d);
            }
        }
        return Map.of();
    }

    private static double secs(double s) {
        return Stats.round(s, 3);
    }

    /** The stages of one fault, read off the observers' events. */
    private static final class Stages {
        final Map<FailoverStage, Long> times = new EnumMap<>(FailoverStage.class);
        String oldLeader;
        String newLeader;
        Long probeGap;
        Long probeReadGap;
        String probeBeforeRouter;

        Stages(History h, Window fault) {
            long t0 = fault.startNanos();
            returned(h, fault).ifPresent(n -> times.put(FailoverStage.FAULT_RETURNED, n));
            oldLeader = keyHolderBefore(h, t0);
            if (oldLeader == null) {
                oldLeader = FailoverTimeChecker.leaderBefore(h, t0);
            }
            for (Event e : h.byF(Event.Fn.DCS_LEADER_KEY)) {
                if (e.nanos() < t0) {
                    continue;
                }
                String holder = Values.string(e.value(), "holder");
                if (!times.containsKey(FailoverStage.LEADER_KEY_GONE) && !Objects.equals(holder, oldLeader)) {
                    times.put(FailoverStage.LEADER_KEY_GONE, e.nanos());
                }
                if (holder != null && !holder.equals(oldLeader)) {
                    times.put(FailoverStage.LEADER_KEY_ACQUIRED, e.nanos());
                    newLeader = holder;
                    break;
                }
            }
            if (newLeader == null) {
                return;
            }
            Integer oldTimeline = timelineBefore(h, t0);
            for (Event e : h.byF(Event.Fn.NODE_ROLE)) {
                Map<String, Object> v = e.value();
                Integer tli = Values.longValue(v, "timeline") == null ? null : Values.longValue(v, "timeline").intValue();
                if (e.nanos() >= t0 && newLeader.equals(Values.string(v, "node")) && Boolean.TRUE.equals(Values.bool(v, "reachable"))
                        && Boolean.FALSE.equals(Values.bool(v, "in_recovery")) && (oldTimeline == null || tli == null || tli > oldTimeline)) {
                    times.put(FailoverStage.PROMOTED, e.nanos());
                    break;
                }
            }
            Event routerUp = null;
            for (Event e : h.byF(Event.Fn.ROUTER_SERVER)) {
                if (e.nanos() >= t0 && "read_write".equals(Values.string(e.value(), "backend"))
                        && newLeader.equals(Values.string(e.value(), "server")) && isUp(Values.string(e.value(), "status"))) {
                    routerUp = e;
                    times.put(FailoverStage.ROUTER_UP, e.nanos());
                    break;
                }
            }
            // The router was last seen not routing to the new leader this long before it was seen routing.
            Long lastNotUp = routerUp == null ? null : routerUp.nanos() - sinceNanos(routerUp);
            if (routerUp != null) {
                pooler(h, lastNotUp);
            }
            firstWrite(h, Event.Fn.PROBE_WRITE, t0).ifPresent(op -> {
                times.put(FailoverStage.PROBE_WROTE, op.endNanos());
                probeGap = gapBefore(h, Event.Fn.PROBE_WRITE, op.endNanos(), t0);
            });
            firstWrite(h, Event.Fn.WRITE, t0).ifPresent(op -> times.put(FailoverStage.CLIENT_WROTE, op.endNanos()));
            probeReadGap = readGap(h, t0);
            probeBeforeRouter = probeBeforeRouter(h, t0, routerUp, lastNotUp);
        }

        private Optional<Long> returned(History h, Window fault) {
            for (Event e : h.byF(Event.Fn.FAULT)) {
                if (e.nanos() == fault.startNanos() && "start".equals(Values.string(e.value(), "phase"))) {
                    Map<String, Object> d = e.value().get("detail") == null ? Map.of() : Values.map(e.value().get("detail"));
                    Long at = Values.longValue(d, "returned_nanos");
                    if (at != null) {
                        return Optional.of(at);
                    }
                    Long ms = Values.longValue(d, "inject_ms");
                    return ms == null ? Optional.empty() : Optional.of(e.nanos() + ms * 1_000_000);
                }
            }
            return Optional.empty();
        }

        private static String keyHolderBefore(History h, long t0) {
            return h.lastBefore(Event.Fn.DCS_LEADER_KEY, t0, e -> true).map(e -> Values.string(e.value(), "holder")).orElse(null);
        }

        private Integer timelineBefore(History h, long t0) {
            return h.lastBefore(Event.Fn.NODE_ROLE, t0, e -> Values.longValue(e.value(), "timeline") != null
                            && Objects.equals(Values.string(e.value(), "node"), oldLeader))
                    .map(e -> Values.longValue(e.value(), "timeline").intValue()).orElse(null);
        }

        /** A new PgBouncer server connection on the read-write database, first seen once the router routes to the new leader. */
        private void pooler(History h, long lastNotUp) {
            Set<String> before = new HashSet<>();
            for (Event e : h.byF(Event.Fn.POOLER_SERVERS)) {
                if (!isReadWriteDb(e)) {
                    continue;
                }
                Set<String> ids = serverIds(e);
                if (e.nanos() <= lastNotUp) {
                    before = ids;
                    continue;
                }
                ids.removeAll(before);
                if (!ids.isEmpty()) {
                    times.put(FailoverStage.POOLER_CONNECTED, e.nanos());
                    return;
                }
            }
        }

        private static boolean isReadWriteDb(Event e) {
            String db = Values.string(e.value(), "database");
            return db != null && !db.endsWith("_ro") && !db.equals("pgbouncer");
        }

        private static Set<String> serverIds(Event e) {
            Set<String> ids = new HashSet<>();
            for (Object o : Values.list(e.value(), "servers")) {
                Map<String, Object> s = Values.map(o);
                ids.add(Values.string(s, "remote_pid") + "@" + Values.string(s, "connect_time"));
            }
            return ids;
        }

        /** The first OK write of {@code f} after the fault that landed on the new leader. */
        private Optional<Op> firstWrite(History h, String f, long t0) {
            return h.ops(f).stream()
                    .filter(o -> o.isOk() && o.endNanos() >= t0 && newLeader.equals(Values.string(o.value(), "node")))
                    .min((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
        }

        /** From the last OK of {@code f} before {@code at} (or the fault, if none after it) to {@code at}. */
        private static Long gapBefore(History h, String f, long at, long t0) {
            long last = Long.MIN_VALUE;
            for (Op o : h.ops(f)) {
                if (o.isOk() && o.endNanos() < at && o.endNanos() > last) {
                    last = o.endNanos();
                }
            }
            return at - (last == Long.MIN_VALUE ? t0 : last);
        }

        /** The longest gap between OK probe reads that ends after the fault. */
        private static Long readGap(History h, long t0) {
            long[] ok = h.ops(Event.Fn.PROBE_READ).stream().filter(Op::isOk).mapToLong(Op::endNanos).sorted().toArray();
            Long best = null;
            for (int i = 1; i < ok.length; i++) {
                if (ok[i] >= t0 && (best == null || ok[i] - ok[i - 1] > best)) {
                    best = ok[i] - ok[i - 1];
                }
            }
            return best;
        }

        /**
         * An OK probe write on the new leader completed while the router was still seen not routing
         * to it (before its last not-UP observation), or with no router observation of it at all.
         */
        private String probeBeforeRouter(History h, long t0, Event routerUp, Long lastNotUp) {
            boolean routerObserved = !h.byF(Event.Fn.ROUTER_SERVER).isEmpty();
            if (!routerObserved || !times.containsKey(FailoverStage.PROBE_WROTE)) {
                return null;
            }
            long wrote = times.get(FailoverStage.PROBE_WROTE);
            if (routerUp == null) {
                return "the probe wrote on " + newLeader + " at " + Format.at(h.seconds(wrote))
                        + " but the router was never seen routing to it";
            }
            if (wrote < lastNotUp) {
                return "the probe wrote on " + newLeader + " at " + Format.at(h.seconds(wrote))
                        + " before any router marked it up (still seen not up at " + Format.at(h.seconds(lastNotUp)) + ")";
            }
            return null;
        }
    }

    private static long sinceNanos(Event e) {
        Double ms = Values.doubleValue(e.value(), "since_ms");
        return ms == null ? 0 : (long) (ms * 1_000_000);
    }

    static boolean isUp(String status) {
        return status != null && (status.startsWith("UP") || status.equals("no check"));
    }

    /** Why the pooled client wrote later than the probe: the errors it saw meanwhile and the settings they point to. */
    static final class ClientLag {
        private ClientLag() {}

        static String explain(History h, long probeWrote, long clientWrote, Map<String, Object> settings) {
            if (clientWrote <= probeWrote) {
                return "the pooled client wrote no later than the probe";
            }
            Map<String, double[]> byCause = new TreeMap<>(); // cause -> {count, seconds spent}
            int attempts = 0;
            for (Op o : h.ops(Event.Fn.WRITE)) {
                // the pooled client's failures that ended while the probe was already writing
                if (o.isOk() || !o.completed() || o.endNanos() < probeWrote || o.endNanos() > clientWrote) {
                    continue;
                }
                attempts++;
                String cause = cause(String.valueOf(o.get("error")), settings);
                double[] acc = byCause.computeIfAbsent(cause, k -> new double[2]);
                acc[0]++;
                acc[1] += (o.endNanos() - o.startNanos()) / NANOS;
            }
            double lag = (clientWrote - probeWrote) / NANOS;
            if (attempts == 0) {
                return "the pooled client made no failing write in the " + Format.seconds(lag)
                        + " after the probe wrote: its workers were still blocked in earlier statements or queued";
            }
            String top = byCause.entrySet().stream().max((x, y) -> Double.compare(x.getValue()[1], y.getValue()[1]))
                    .map(Map.Entry::getKey).orElse("?");
            StringBuilder s = new StringBuilder("mostly " + top + "; the pooled client's writes that failed after the probe wrote: ");
            List<String> parts = new ArrayList<>();
            byCause.forEach((cause, acc) -> parts.add((int) acc[0] + " x " + cause + " (" + Format.seconds(acc[1] / Math.max(1, acc[0])) + " each)"));
            s.append(String.join(", ", parts));
            return s.toString();
        }

        /** The pool or driver setting an error message points to. */
        static String cause(String error, Map<String, Object> settings) {
            String e = error.toLowerCase(java.util.Locale.ROOT);
            if (e.contains("request timed out after") || e.contains("connection is not available")) {
                return "waiting for a pooled connection (HikariCP connectionTimeout " + setting(settings, "pool_connection_timeout") + ")";
            }
            if (e.contains("read timed out") || e.contains("sockettimeout")) {
                return "a statement on a dead connection (PgJDBC socketTimeout " + setting(settings, "pool_socket_timeout") + ")";
            }
            if (e.contains("server login has been failing") || e.contains("login failed")) {
                return "PgBouncer refusing during server_login_retry " + setting(settings, "server_login_retry");
            }
            if (e.contains("connect timed out") || e.contains("connection attempt timed out")) {
                return "connecting (PgJDBC connectTimeout " + setting(settings, "pool_connect_timeout") + ")";
            }
            if (e.contains("read-only transaction") || e.contains("25006")) {
                return "a connection still on a node in recovery";
            }
            if (e.contains("connection refused") || e.contains("i/o error") || e.contains("this connection has been closed")
                    || e.contains("terminating connection") || e.contains("server conn crashed") || e.contains("eof")) {
                return "a broken connection evicted from the pool";
            }
            String first = error.length() > 60 ? error.substring(0, 60) + "..." : error;
            return "'" + first + "'";
        }

        private static String setting(Map<String, Object> settings, String key) {
            Double d = Values.doubleValue(settings, key);
            return d == null ? "?" : Format.seconds(d);
        }
    }
}
