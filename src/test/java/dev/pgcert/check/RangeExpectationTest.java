package dev.pgcert.check;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two bounds on one metric: {@code ">= 1s, < 5s"} and {@code "1s..5s"}. */
class RangeExpectationTest {

    private static ExpectationResult eval(String limit, double seconds) {
        return Expectation.parse("failover_time.client", limit).evaluate(Map.of("failover_time.client", seconds));
    }

    @ParameterizedTest(name = "{0} against {1} s: {2}")
    @CsvSource(delimiter = '|', value = {
            ">= 1s, < 5s  | 1     | true",
            ">= 1s, < 5s  | 4.99  | true",
            ">= 1s, < 5s  | 5     | false",
            ">= 1s, < 5s  | 0.999 | false",
            "> 1s,<=5s    | 1     | false",
            "1s..5s       | 1     | true",
            "1s..5s       | 5     | true",
            "1s .. 5s     | 5.01  | false",
            "500ms..2s    | 0.4   | false",
    })
    void bothBoundsMustHold(String limit, double measured, boolean passed) {
        ExpectationResult r = eval(limit, measured);
        assertThat(r.passed()).isEqualTo(passed);
        assertThat(r.limitText()).isEqualTo(limit.trim());
        assertThat(r.category()).isEqualTo(Category.SLOW_FAILOVER);
    }

    @Test
    void aMissingMetricIsNotJudged() {
        ExpectationResult r = Expectation.parse("failover_time.client", "1s..5s").evaluate(Map.of());
        assertThat(r.passed()).isFalse();
        assertThat(r.undetermined()).isTrue();
    }

    @Test
    void countsTakeRangesToo() {
        Expectation e = Expectation.parse("data_loss.acknowledged", "100..200");
        assertThat(e.evaluate(Map.of("data_loss.acknowledged", 150)).passed()).isTrue();
        assertThat(e.evaluate(Map.of("data_loss.acknowledged", 201)).passed()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "< 5s, >= 1s      | a range is a lower bound",
            ">= 5s, < 1s      | the range is empty",
            "5s..1s           | the range is empty",
            ">= 1s, < 5s, < 6s| two bounds, not more",
            "1s..5s, < 6s     | not both forms",
            ">= 1s, < 5MB     | is a size in bytes",
    })
    void badRangesAreRefusedWhenRead(String limit, String message) {
        assertThatThrownBy(() -> Expectation.parse("failover_time.client", limit))
                .isInstanceOf(ExpectationParseException.class).hasMessageContaining(message);
    }

    @Test
    void aRangeMayFollowTheDesign() {
        Expectation e = Expectation.parse("failover_time.dcs", "ttl..2 * ttl", Map.of("ttl", 10.0, "loop_wait", 2.0, "retry_timeout", 4.0));
        assertThat(e.evaluate(Map.of("failover_time.dcs", 15.0)).passed()).isTrue();
        assertThat(e.evaluate(Map.of("failover_time.dcs", 21.0)).passed()).isFalse();
        assertThat(e.evaluate(Map.of("failover_time.dcs", 9.0)).passed()).isFalse();
    }
}
