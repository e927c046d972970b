package dev.pgcert.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectationTest {

    @Test
    void describesMeasurementAndLimitInOneLine() {
        Expectation e = Expectation.below("failover_time.client", 11.2, 30, "s", FailureCategory.SLOW_FAILOVER);

        assertThat(e.describe()).isEqualTo("failover_time.client: measured 11.2 s, limit < 30 s");
        assertThat(e.met()).isTrue();
    }

    @Test
    void aMissBecomesATaggedFailureLine() {
        Expectation e = Expectation.equal("lost_writes", 3, 0, "writes", FailureCategory.DATA_LOSS);

        assertThat(e.met()).isFalse();
        assertThat(e.failureMessage()).isEqualTo("[data loss] lost_writes: measured 3 writes, limit = 0 writes");
    }

    @Test
    void somethingNotMeasuredNeverMeetsItsLimit() {
        Expectation e = Expectation.below("failover_time.client", Double.NaN, 30, "s", FailureCategory.SLOW_FAILOVER);

        assertThat(e.met()).isFalse();
        assertThat(e.describe()).isEqualTo("failover_time.client: measured nothing (not measured), limit < 30 s");
    }

    @Test
    void boundsAreExactAtTheLimit() {
        assertThat(Expectation.below("x", 30, 30, "s", FailureCategory.SLOW_FAILOVER).met()).isFalse();
        assertThat(Expectation.atMost("x", 30, 30, "s", FailureCategory.SLOW_FAILOVER).met()).isTrue();
        assertThat(Expectation.atLeast("x", 0.5, 0.6, "", FailureCategory.READ_OFFLOAD).met()).isFalse();
    }

    @Test
    void aVerdictListsEveryMissMostSevereFirst() {
        List<Expectation> all = List.of(
                Expectation.below("failover_time.client", 41, 30, "s", FailureCategory.SLOW_FAILOVER),
                Expectation.equal("lost_writes", 2, 0, "writes", FailureCategory.DATA_LOSS),
                Expectation.atMost("lag.max", 1024, 16_777_216, "bytes", FailureCategory.REPLICA_LAG));

        assertThatThrownBy(() -> AllureReport.verdict(all))
                .isInstanceOf(CertificationFailure.class)
                .isInstanceOf(AssertionError.class)
                .hasMessage("[data loss] lost_writes: measured 2 writes, limit = 0 writes\n"
                        + "[slow failover] failover_time.client: measured 41 s, limit < 30 s");
    }

    @Test
    void aVerdictWithEverythingMetPasses() {
        AllureReport.verdict(List.of(Expectation.below("failover_time.client", 11.2, 30, "s", FailureCategory.SLOW_FAILOVER)));
    }
}
