package dev.pgcert.check;

import dev.pgcert.check.FailoverPrediction.Mode;
import dev.pgcert.check.FailoverPrediction.Window;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FailoverPredictionTest {

    private static Map<String, Object> settings(Object... overrides) {
        Map<String, Object> s = kv(FailoverStagesCheckerTest.settings());
        s.putAll(kv(overrides));
        return s;
    }

    private static void assertWindow(Window w, double earliest, double latest) {
        assertThat(w.earliest()).isCloseTo(earliest, within(1e-9));
        assertThat(w.latest()).isCloseTo(latest, within(1e-9));
    }

    @Test
    void aKilledLeadersKeyExpiresBetweenTtlMinusLoopWaitAndTtlAfterTheKill() {
        Map<FailoverStage, Window> w = FailoverPrediction.predict(settings(), Mode.CRASH, 0.85);

        assertWindow(w.get(FailoverStage.LEADER_KEY_GONE), 8, 10 + 0.85 + 0.5 + 0.05);
        assertWindow(w.get(FailoverStage.LEADER_KEY_ACQUIRED), 8, 11.4 + 2);
        assertWindow(w.get(FailoverStage.PROMOTED), 8, 13.4 + 1 + 0.1);
        assertWindow(w.get(FailoverStage.ROUTER_UP), 8, 14.5 + 1 + 0.1);
        assertWindow(w.get(FailoverStage.POOLER_CONNECTED), 8, 15.6 + 1 + 2 + 0.1);
        assertWindow(w.get(FailoverStage.PROBE_WROTE), 8, 18.7 + 0.05 + 0.1);
        assertWindow(w.get(FailoverStage.CLIENT_WROTE), 8, 18.85 + 3 + 1.5);
        assertThat(w).doesNotContainKey(FailoverStage.FAULT_RETURNED);
    }

    @Test
    void routerRiseAndIntervalMoveTheRouterStage() {
        Map<FailoverStage, Window> w = FailoverPrediction.predict(settings("router_inter", 3.0, "router_rise", 2), Mode.CRASH, 0);

        // Patroni's template: inter 3s rise 2: one check interval at least, two at most after the promotion
        assertWindow(w.get(FailoverStage.ROUTER_UP), 8 + 3, 10.55 + 2 + 1.1 + 6 + 0.1);
    }

    @Test
    void aSwitchoverReleasesTheKeyInTheLeadersNextLoop() {
        Map<FailoverStage, Window> w = FailoverPrediction.predict(settings(), Mode.SWITCHOVER, 4.2);

        assertWindow(w.get(FailoverStage.LEADER_KEY_GONE), 0, 2 + 3 + 0.05);
        assertWindow(w.get(FailoverStage.LEADER_KEY_ACQUIRED), 0, 5.05 + 2);
    }

    @Test
    void withoutAPoolerThereIsNoPoolerStage() {
        Map<FailoverStage, Window> w = FailoverPrediction.predict(settings("pooler", false), Mode.DCS_CUT, 0);

        assertThat(w).doesNotContainKey(FailoverStage.POOLER_CONNECTED);
        assertWindow(w.get(FailoverStage.PROBE_WROTE), 8, 10.55 + 2 + 1.1 + 1.1 + 0.05 + 0.1);
    }

    @Test
    void faultKindsMapToFailoverModes() {
        assertThat(Mode.of("kill", Map.of())).contains(Mode.CRASH);
        assertThat(Mode.of("freeze", Map.of())).contains(Mode.CRASH);
        assertThat(Mode.of("switchover", Map.of())).contains(Mode.SWITCHOVER);
        assertThat(Mode.of("partition", Map.of("from", "dcs"))).contains(Mode.DCS_CUT);
        assertThat(Mode.of("partition", Map.of("from", "all"))).isEmpty();
        assertThat(Mode.of("latency", Map.of())).isEmpty();
    }
}
