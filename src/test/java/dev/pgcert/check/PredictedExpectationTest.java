package dev.pgcert.check;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictedExpectationTest {
    private static final Map<String, Object> METRICS = Map.of(
            "failover_time.probe", 10.2,
            "failover_time.predicted", Map.of("probe", Map.of("earliest", 8.0, "latest", 18.85)));

    @Test
    void aLimitMayBeThePredictedWindow() {
        ExpectationResult within = Expectation.parse("failover_time.probe", "<= predicted").evaluate(METRICS);
        assertThat(within.passed()).isTrue();
        assertThat(within.limitText()).contains("18.9 s");

        assertThat(Expectation.parse("failover_time.probe", "> predicted").evaluate(METRICS).passed()).isTrue();
        assertThat(Expectation.parse("failover_time.probe", "< predicted")
                .evaluate(Map.of("failover_time.probe", 19.0, "failover_time.predicted", METRICS.get("failover_time.predicted"))).passed()).isFalse();
    }

    @Test
    void withoutAPredictionTheLimitIsUndeterminedNeverPassed() {
        ExpectationResult r = Expectation.parse("failover_time.probe", "<= predicted").evaluate(Map.of("failover_time.probe", 1.0));
        assertThat(r.passed()).isFalse();
        assertThat(r.undetermined()).isTrue();
        assertThat(r.measured()).contains("no prediction");
    }

    @Test
    void predictedNeedsAComparisonOnATime() {
        assertThatThrownBy(() -> Expectation.parse("failover_time.probe", "predicted")).hasMessageContaining("'predicted'");
        assertThatThrownBy(() -> Expectation.parse("data_loss.lost", "<= predicted")).hasMessageContaining("'predicted'");
    }
}
