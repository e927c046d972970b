package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Values;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standby cluster: how far it followed the primary cluster, and, in a disaster-recovery drill, how
 * soon it took writes. From the {@code standby-lag} observations and the {@code standby-promote} and
 * {@code primary-cluster-loss} faults:
 * <ul>
 *   <li>{@code lag_bytes_max}, {@code lag_seconds_max}: the worst distance seen while the primary
 *       cluster's primary answered (before any promotion);</li>
 *   <li>{@code time_to_writable}: from the promotion request ({@code standby-promote} starting) to the
 *       first observation of the standby cluster's leader out of recovery;</li>
 *   <li>{@code time_to_writable_from_loss}: the same from the loss of the primary cluster
 *       ({@code primary-cluster-loss} starting): the outage a drill's operator is accountable for.</li>
 * </ul>
 * INVALID when a promotion was requested and the standby cluster's leader was never seen writable
 * afterwards. UNKNOWN without any observation of the standby cluster. Acknowledged writes lost across
 * the drill are the data-loss checker's (its final read is of the promoted standby cluster).
 */
public final class StandbyClusterChecker implements Checker {
    public static final String NAME = "standby_cluster";
    static final String PROMOTE = "standby-promote";
    static final String LOSS = "primary-cluster-loss";

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.SLOW_FAILOVER)
            .metrics(Kind.BYTES, "lag_bytes_max").metrics(Kind.TIME, "lag_seconds_max", "time_to_writable",
                    "time_to_writable_from_loss")
            .metrics(Kind.TEXT, "promoted_leader");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        List<Event> samples = h.byF(Event.Fn.STANDBY_LAG);
        if (samples.isEmpty()) {
            return CheckResult.unknown(NAME, "The standby cluster was never observed.");
        }
        Optional<Long> promoteAt = faultStart(h, PROMOTE);
        Optional<Long> lossAt = faultStart(h, LOSS);
        long lagUntil = promoteAt.orElse(Long.MAX_VALUE);
        long maxBytes = -1;
        double maxSeconds = -1;
        for (Event e : samples) {
            if (e.nanos() >= lagUntil) {
                break;
            }
            Long bytes = Values.longValue(e.value(), "lag_bytes");
            Double seconds = Values.doubleValue(e.value(), "lag_seconds");
            if (bytes != null) {
                maxBytes = Math.max(maxBytes, bytes);
            }
            if (seconds != null) {
                maxSeconds = Math.max(maxSeconds, seconds);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (maxBytes >= 0) {
            m.put("lag_bytes_max", maxBytes);
        }
        if (maxSeconds >= 0) {
            m.put("lag_seconds_max", maxSeconds);
        }
        String lag = maxBytes < 0 ? "The standby cluster's lag was never measured (no primary answered while it followed)."
                : "The standby cluster followed at most " + maxBytes + " bytes / " + String.format("%.2f", maxSeconds)
                + " s behind the primary cluster.";
        if (promoteAt.isEmpty()) {
            return new CheckResult(NAME, maxBytes < 0 ? Verdict.UNKNOWN : Verdict.VALID, m, lag + " No promotion was requested.");
        }
        Optional<Event> writable = samples.stream().filter(e -> e.nanos() >= promoteAt.get())
                .filter(e -> Boolean.TRUE.equals(Values.bool(e.value(), "reachable"))
                        && Boolean.FALSE.equals(Values.bool(e.value(), "in_recovery")))
                .findFirst();
        if (writable.isEmpty()) {
            return new CheckResult(NAME, Verdict.INVALID, m, lag + " The standby cluster was promoted at "
                    + at(h, promoteAt.get()) + " but its leader was never seen out of recovery afterwards.");
        }
        double toWritable = (writable.get().nanos() - promoteAt.get()) / 1e9;
        m.put("time_to_writable", toWritable);
        lossAt.ifPresent(l -> m.put("time_to_writable_from_loss", (writable.get().nanos() - l) / 1e9));
        m.put("promoted_leader", String.valueOf(Values.string(writable.get().value(), "leader")));
        return new CheckResult(NAME, Verdict.VALID, m, lag + " Promoted at " + at(h, promoteAt.get()) + ", "
                + Values.string(writable.get().value(), "leader") + " was writable " + String.format("%.2f", toWritable)
                + " s later" + lossAt.map(l -> String.format(" (%.2f s after the primary cluster was lost)",
                (writable.get().nanos() - l) / 1e9)).orElse("") + ".");
    }

    private static Optional<Long> faultStart(History h, String kind) {
        return h.byF(Event.Fn.FAULT).stream()
                .filter(e -> kind.equals(Values.string(e.value(), "kind")) && "start".equals(Values.string(e.value(), "phase")))
                .map(Event::nanos).findFirst();
    }

    private static String at(History h, long nanos) {
        return String.format("%.2f s", h.seconds(nanos));
    }
}
