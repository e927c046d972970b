package dev.pgcert.check;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits that follow the design: {@code "<= ttl + loop_wait + 2s"}, bound to the settings the stack really runs. */
class DesignLimitTest {
    /** three-node-async on bookworm (Patroni 3.0.2 runs ttl 10) and on trixie (Patroni 4.0.7 raises it to 20). */
    private static final Map<String, Double> BOOKWORM = Map.of("ttl", 10.0, "loop_wait", 2.0, "retry_timeout", 4.0);
    private static final Map<String, Double> TRIXIE = Map.of("ttl", 20.0, "loop_wait", 2.0, "retry_timeout", 4.0);

    private static ExpectationResult judge(String limit, Map<String, Double> settings, double dcs) {
        return Expectation.parse("failover_time.dcs", limit, settings).evaluate(Map.of("failover_time.dcs", dcs));
    }

    @Test
    void theSameLimitMeansTheSameOnBothStacks() {
        // 21.4 s, measured on trixie, failed the fixed "< 20s"; against the design's own ttl it passes there...
        assertThat(Expectation.parse("failover_time.dcs", "< 20s").evaluate(Map.of("failover_time.dcs", 21.4)).passed()).isFalse();
        ExpectationResult trixie = judge("<= ttl + loop_wait + 2s", TRIXIE, 21.4);
        assertThat(trixie.passed()).isTrue();
        assertThat(trixie.limitText()).isEqualTo("<= ttl + loop_wait + 2s (24 s)");
        // ...and the same 21.4 s is far too slow for bookworm's ttl 10: the limit must fail there.
        ExpectationResult bookworm = judge("<= ttl + loop_wait + 2s", BOOKWORM, 21.4);
        assertThat(bookworm.passed()).isFalse();
        assertThat(bookworm.undetermined()).isFalse();
        assertThat(bookworm.limitText()).isEqualTo("<= ttl + loop_wait + 2s (14 s)");
    }

    @Test
    void termsAreDurationsSettingsTimesANumberAndDifferences() {
        assertThat(judge("< 2 * ttl", BOOKWORM, 19.9).passed()).isTrue();
        assertThat(judge("< 2*ttl", BOOKWORM, 20.0).passed()).isFalse();
        assertThat(judge(">= ttl - loop_wait", BOOKWORM, 8.0).passed()).isTrue();
        assertThat(judge(">= ttl - loop_wait", BOOKWORM, 7.9).passed()).isFalse();
        assertThat(judge("<= ttl + 1.5s + 500ms", BOOKWORM, 12.0).passed()).isTrue();
        assertThat(judge("<= ttl + 1.5s + 500ms", BOOKWORM, 12.001).passed()).isFalse();
        assertThat(judge("< ttl + retry_timeout", TRIXIE, 23.9).passed()).isTrue();
    }

    @Test
    void predictedMayBeAddedTo() {
        Map<String, Object> metrics = Map.of("failover_time.probe", 19.5,
                "failover_time.predicted", Map.of("probe", Map.of("earliest", 8.0, "latest", 18.85)));
        assertThat(Expectation.parse("failover_time.probe", "<= predicted", BOOKWORM).evaluate(metrics).passed()).isFalse();
        ExpectationResult slack = Expectation.parse("failover_time.probe", "<= predicted + 1s", BOOKWORM).evaluate(metrics);
        assertThat(slack.passed()).isTrue();
        assertThat(slack.limitText()).isEqualTo("<= predicted + 1s (19.9 s)");
    }

    @Test
    void wrongLimitsSayWhatIsWrong() {
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "<= tll + 2s", BOOKWORM))
                .hasMessageContaining("'tll' is not a setting a limit can name; did you mean 'ttl'?");
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "<= ttl + 2", BOOKWORM))
                .hasMessageContaining("cannot read '2' in '<= ttl + 2'");
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "<= ttl + 2MB", BOOKWORM))
                .hasMessageContaining("cannot read '2MB'");
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "ttl + 2s", BOOKWORM))
                .hasMessageContaining("use it with <, <=, > or >=");
        assertThatThrownBy(() -> Expectation.parse("data_loss.lost", "<= ttl", BOOKWORM))
                .hasMessageContaining("is a count");
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "<= 10s - predicted", BOOKWORM))
                .hasMessageContaining("'predicted' may stand once");
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "<= ttl + + 2s", BOOKWORM))
                .hasMessageContaining("cannot read");
        // Without the topology's settings (the 2-argument parse) a name cannot be bound.
        assertThatThrownBy(() -> Expectation.parse("failover_time.dcs", "<= ttl + 2s"))
                .hasMessageContaining("'ttl' is a setting of the topology, which is not known here");
    }

    @Test
    void plainLimitsAreReadAsBefore() {
        assertThat(Expectation.parse("failover_time.dcs", "< 20s", BOOKWORM).evaluate(Map.of("failover_time.dcs", 19.0)).limitText())
                .isEqualTo("< 20s");
        assertThat(Expectation.parse("split_brain", "none", BOOKWORM).evaluate(Map.of("split_brain", "none")).passed()).isTrue();
        assertThat(Expectation.parse("data_loss.lost", "== 0", BOOKWORM).evaluate(Map.of("data_loss.lost", 0)).passed()).isTrue();
    }
}
