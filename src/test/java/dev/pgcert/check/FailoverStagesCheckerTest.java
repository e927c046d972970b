package dev.pgcert.check;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static dev.pgcert.history.HistoryBuilder.kv;
import static dev.pgcert.history.HistoryBuilder.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The stage checker on hand-made histories: a SIGKILL of node1 at 10 s, node2 takes over. */
public class FailoverStagesCheckerTest {
    private final FailoverStagesChecker checker = new FailoverStagesChecker();

    public static Object[] settings() {
        return new Object[] {"ttl", 10, "loop_wait", 2, "retry_timeout", 4, "router_inter", 1.0, "router_fall", 2, "router_rise", 1,
                "router_timeout_check", 2.0, "router_pinned", false, "pooler", true, "server_login_retry", 1.0,
                "server_connect_timeout", 2.0, "observer_period", 0.1, "dcs_observer_period", 0.05, "probe_per_second", 20.0,
                "probe_connect_timeout", 1.0, "probe_socket_timeout", 1.0, "pool_connection_timeout", 1.5,
                "pool_socket_timeout", 3.0, "pool_connect_timeout", 1.0, "pool_login_timeout", 2.0};
    }

    /** Every observer's events of a clean failover; {@code without} leaves out the events of these f. */
    public static HistoryBuilder kill(double probeWroteAt, List<String> without) {
        HistoryBuilder b = history();
        b.info(0.5, "harness", Event.Fn.FAILOVER_SETTINGS, settings());
        observe(b, without, 1.0, Event.Fn.DCS_LEADER_KEY, "holder", "node1", "lease", "1");
        observe(b, without, 1.0, Event.Fn.NODE_ROLE, "node", "node1", "reachable", true, "in_recovery", false, "timeline", 1);
        observe(b, without, 1.0, Event.Fn.NODE_ROLE, "node", "node2", "reachable", true, "in_recovery", true);
        observe(b, without, 1.0, Event.Fn.ROUTER_SERVER, "backend", "read_write", "server", "node1", "status", "UP");
        observe(b, without, 1.0, Event.Fn.ROUTER_SERVER, "backend", "read_write", "server", "node2", "status", "DOWN");
        observe(b, without, 1.0, Event.Fn.POOLER_SERVERS, "database", "pgcert",
                "servers", List.of(kv("remote_pid", "100", "state", "active", "connect_time", "t0")));
        // the probe and the pooled client write on node1 until the kill takes effect at 10.4 s
        probeWrites(b, 2.0, 10.4, "node1", 1);
        b.steadyWrites("w1", 2.0, 10.4, 0.1, "node1", 1);
        b.info(10.0, "nemesis", Event.Fn.FAULT, "id", "kill-1", "kind", "kill", "phase", "start", "target", "node1",
                "detail", kv("inject_ms", 850, "returned_nanos", ns(10.85)));
        observe(b, without, 10.5, Event.Fn.NODE_ROLE, "node", "node1", "reachable", false, "error", "I/O error");
        observe(b, without, 12.5, Event.Fn.ROUTER_SERVER, "backend", "read_write", "server", "node1", "status", "DOWN");
        observe(b, without, 12.5, Event.Fn.POOLER_SERVERS, "database", "pgcert", "servers", List.of());
        observe(b, without, 18.6, Event.Fn.DCS_LEADER_KEY, "holder", null, "since_ms", 50.0);
        observe(b, without, 18.7, Event.Fn.DCS_LEADER_KEY, "holder", "node2", "lease", "2", "since_ms", 50.0);
        observe(b, without, 19.1, Event.Fn.NODE_ROLE, "node", "node2", "reachable", true, "in_recovery", false, "timeline", 2, "since_ms", 100.0);
        observe(b, without, 19.6, Event.Fn.ROUTER_SERVER, "backend", "read_write", "server", "node2", "status", "UP", "since_ms", 100.0);
        observe(b, without, 20.0, Event.Fn.POOLER_SERVERS, "database", "pgcert",
                "servers", List.of(kv("remote_pid", "200", "state", "active", "connect_time", "t1")));
        // the probe fails until it writes on node2; the pooled client waits out socketTimeout 3 s twice
        for (double t = 10.45; t < probeWroteAt - 1e-9; t += 0.05) {
            probeFails(b, t, "FATAL: server login has been failing, try again later (server_login_retry)");
        }
        probeWrites(b, probeWroteAt, probeWroteAt + 2, "node2", 2);
        b.invoke(19.1, "w1", Event.Fn.WRITE, "key", 9001L);
        b.info(22.1, "w1", Event.Fn.WRITE, "key", 9001L, "error", "An I/O error occurred while sending to the backend. (SocketTimeoutException: Read timed out)");
        b.invoke(22.1, "w2", Event.Fn.WRITE, "key", 9002L);
        b.info(25.1, "w2", Event.Fn.WRITE, "key", 9002L, "error", "An I/O error occurred while sending to the backend. (SocketTimeoutException: Read timed out)");
        b.steadyWrites("w3", 25.2, 27.0, 0.1, "node2", 2);
        return b;
    }

    private static int probeKey = -1;

    private static void probeWrites(HistoryBuilder b, double from, double to, String node, long timeline) {
        for (double t = from; t < to - 1e-9; t += 0.05) {
            long key = probeKey--;
            b.invoke(t, "probe-rw", Event.Fn.PROBE_WRITE, "key", key, "endpoint", "rw");
            b.ok(t + 0.01, "probe-rw", Event.Fn.PROBE_WRITE, "key", key, "node", node, "timeline", timeline);
        }
    }

    private static void probeFails(HistoryBuilder b, double at, String error) {
        long key = probeKey--;
        b.invoke(at, "probe-rw", Event.Fn.PROBE_WRITE, "key", key, "endpoint", "rw");
        b.fail(at + 0.01, "probe-rw", Event.Fn.PROBE_WRITE, "key", key, "error", error, "stage", "connect");
    }

    private static void observe(HistoryBuilder b, List<String> without, double at, String f, Object... kv) {
        if (!without.contains(f)) {
            b.info(at, "observer", f, kv);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stages(CheckResult r) {
        return (Map<String, Object>) r.metrics().get("stages");
    }

    @Test
    void timesEveryStageFromTheFaultsInjection() {
        CheckResult r = checker.check(kill(20.1, List.of()).build());

        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        Map<String, Object> s = stages(r);
        assertThat((double) s.get("fault_returned")).isCloseTo(0.85, within(1e-3));
        assertThat((double) s.get("leader_key_gone")).isCloseTo(8.6, within(1e-3));
        assertThat((double) s.get("leader_key_acquired")).isCloseTo(8.7, within(1e-3));
        assertThat((double) s.get("promoted")).isCloseTo(9.1, within(1e-3));
        assertThat((double) s.get("router_up")).isCloseTo(9.6, within(1e-3));
        assertThat((double) s.get("pooler_connected")).isCloseTo(10.0, within(1e-3));
        assertThat((double) s.get("probe_wrote")).isCloseTo(10.11, within(1e-3));
        assertThat((double) s.get("client_wrote")).isCloseTo(15.202, within(1e-3));
        // the probe was down from its last write on node1 (10.36) to its first on node2 (20.11)
        assertThat((double) r.metrics().get("probe")).isCloseTo(9.75, within(1e-3));
        assertThat((double) r.metrics().get("client_minus_probe")).isCloseTo(5.092, within(1e-3));
        assertThat((String) r.metrics().get("client_minus_probe_cause")).contains("socketTimeout 3 s").contains("2 x");
        assertThat(r.explanation()).contains("node1 -> node2").contains("router marked it up 9.6");
        // every stage inside its window from the injection; but the pooled client waited out socketTimeout twice,
        // more than one stuck statement plus one pool wait (3 s + 1.5 s) after the probe: that step is flagged
        assertThat(r.metrics().get("stages_outside_window")).isEqualTo(1);
        assertThat((List<?>) r.metrics().get("stage_anomalies")).singleElement().asString()
                .startsWith("client_wrote came 5.09 s after probe_wrote, outside its predicted step [-3.05 s, 4.6 s]");
    }

    @Test
    void predictsAWindowForEachStageAndTheProbe() {
        CheckResult r = checker.check(kill(20.1, List.of()).build());

        Object latest = MetricCatalog.lookup(new CheckResults(List.of(r)).metrics(), "failover_time.predicted.probe.latest").orElseThrow();
        // ttl 10 + 0.85 returned + 0.5 etcd tick + 0.05, + loop_wait 2, + 1 promote + 0.1, + rise*inter 1 + 0.1,
        // + login retry 1 + connect 2 + 0.1, + 1/20 + 0.1
        assertThat((double) latest).isCloseTo(18.85, within(1e-3));
    }

    @Test
    void aStageThatWasNotObservedIsUnknownNeverZero() {
        CheckResult r = checker.check(kill(20.1, List.of(Event.Fn.POOLER_SERVERS, Event.Fn.NODE_ROLE)).build());

        assertThat(stages(r)).doesNotContainKeys("pooler_connected", "promoted").containsKeys("router_up", "probe_wrote");
        assertThat(r.explanation()).contains("pooler connected to it unknown").contains("new leader promoted unknown");
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void withoutANewLeaderKeyHolderEveryLaterStageIsUnknown() {
        CheckResult r = checker.check(kill(20.1, List.of(Event.Fn.DCS_LEADER_KEY)).build());

        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(stages(r)).containsOnlyKeys("fault_returned");
    }

    @Test
    void aProbeWriteBeforeAnyRouterMarkedThePrimaryUpIsFlaggedInvalid() {
        // the probe writes on node2 at 19.3 s; the router was still seen with node2 down at 19.5 s
        CheckResult r = checker.check(kill(19.3, List.of()).build());

        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat((List<?>) r.metrics().get("stage_anomalies")).first().asString()
                .contains("probe wrote on node2").contains("before any router marked it up");
    }

    @Test
    void aStageOutsideItsPredictedWindowIsFlaggedWithoutFailingTheVerdict() {
        HistoryBuilder b = kill(20.1, List.of());
        b.info(14.0, "observer", Event.Fn.DCS_LEADER_KEY, "holder", null, "since_ms", 50.0); // 4 s: before ttl - loop_wait
        CheckResult r = checker.check(b.build());

        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.explanation()).contains("leader_key_gone at 4 s is outside its predicted window [8 s, 11.4 s]")
                .contains("leader_key_acquired came 4.7 s after leader_key_gone, outside its predicted step [0 s, 2.05 s]");
        assertThat(r.metrics().get("stages_outside_window")).isEqualTo(3); // + the pooled client's step, as above
    }

    /**
     * Seen on real runs: HAProxy's poller saw the new primary UP 2.6 ms before etcd's poller saw its key. Each
     * stage is seen up to one poll late, so a step shorter than the window by less than a poll is not flagged;
     * one shorter by more is.
     */
    @Test
    void aStepIsJudgedWithTheObserversPollingSlack() {
        HistoryBuilder withinAPoll = kill(20.1, List.of(Event.Fn.ROUTER_SERVER));
        withinAPoll.info(18.698, "observer", Event.Fn.ROUTER_SERVER, "backend", "read_write", "server", "node2", "status", "UP");
        HistoryBuilder wayBefore = kill(20.1, List.of(Event.Fn.ROUTER_SERVER));
        wayBefore.info(18.3, "observer", Event.Fn.ROUTER_SERVER, "backend", "read_write", "server", "node2", "status", "UP");

        assertThat(String.valueOf(checker.check(withinAPoll.build()).metrics().get("stage_anomalies")))
                .doesNotContain("router_up came");
        assertThat(String.valueOf(checker.check(wayBefore.build()).metrics().get("stage_anomalies")))
                .contains("router_up came -400 ms after leader_key_acquired");
    }

    /** The catalogue knows every metric this checker publishes, with a matching kind. */
    @Test
    void everyPublishedMetricIsInTheCatalog() {
        CheckResult r = checker.check(kill(20.1, List.of()).build());
        List<String> names = new java.util.ArrayList<>();
        ExpectationTest.walk("", new CheckResults(List.of(r)).metrics(), (name, value) -> {
            assertThat(MetricCatalog.problem(name)).as(name).isEmpty();
            switch (MetricCatalog.kindOf(name).orElseThrow()) {
                case TEXT -> assertThat(value).as(name).isInstanceOf(String.class);
                case LIST -> assertThat(value).as(name).isInstanceOf(List.class);
                default -> assertThat(value).as(name).isInstanceOf(Number.class);
            }
            names.add(name);
        });
        assertThat(names).contains("failover_time.probe", "failover_time.stages.router_up", "failover_time.predicted.probe.latest",
                "failover_time.client_minus_probe_cause", "failover_time.stages_outside_window");
        assertThat(MetricCatalog.kindOf("failover_time.stage_anomalies")).contains(MetricCatalog.Kind.LIST);
    }


    @Test
    void aFaultThatIsNotMeantToFailOverHasNothingToTime() {
        History h = history().info(0.5, "harness", Event.Fn.FAILOVER_SETTINGS, settings())
                .info(1.0, "observer", Event.Fn.DCS_LEADER_KEY, "holder", "node1", "lease", "1")
                .fault("lat-1", "latency", "node2", 5.0, 10.0).steadyWrites("w1", 0, 12, 0.1, "node1", 1).build();

        CheckResult r = checker.check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.VALID);
        assertThat(r.explanation()).contains("not one that fails over");
    }

    @Test
    void noFaultNoStages() {
        History h = history().info(0.5, "harness", Event.Fn.FAILOVER_SETTINGS, settings()).steadyWrites("w1", 0, 5, 0.1, "node1", 1).build();

        assertThat(checker.check(h).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void theClientLagCauseNamesThePoolSetting() {
        Map<String, Object> s = kv(settings());
        assertThat(FailoverStagesChecker.ClientLag.cause("HikariPool-1 - Connection is not available, request timed out after 1500ms.", s))
                .contains("connectionTimeout 1.5 s");
        assertThat(FailoverStagesChecker.ClientLag.cause("FATAL: server login has been failing, try again later (server_login_retry)", s))
                .contains("server_login_retry 1 s");
    }
}
