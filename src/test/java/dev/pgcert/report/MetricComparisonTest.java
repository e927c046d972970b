package dev.pgcert.report;

import static dev.pgcert.report.MetricComparison.Direction.HIGHER_IS_BETTER;
import static dev.pgcert.report.MetricComparison.Direction.LOWER_IS_BETTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcert.report.MetricComparison.Figures;
import dev.pgcert.report.MetricComparison.Judgement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The better / same / worse judgement on hand-made figures. */
class MetricComparisonTest {

    @Test
    void aDoubledTtlMakesDcsFailoverWorseAndLosesNothingMore() {
        // bookworm's ttl 10 against the same design run with ttl 20 (figures of the kind measured here).
        MetricComparison dcs = MetricComparison.of("failover_time.dcs", LOWER_IS_BETTER,
                List.of(9.5, 10.3, 11.8), List.of(19.3, 22.3, 20.1));
        MetricComparison lost = MetricComparison.of("data_loss.lost", LOWER_IS_BETTER,
                List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 0.0));

        assertThat(dcs.baseline()).isEqualTo(new Figures(3, 9.5, 10.3, 11.8));
        assertThat(dcs.candidate()).isEqualTo(new Figures(3, 19.3, 20.1, 22.3));
        assertThat(dcs.difference()).isCloseTo(9.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(dcs.judgement()).isEqualTo(Judgement.WORSE);
        assertThat(lost.judgement()).isEqualTo(Judgement.SAME);
    }

    @Test
    void aDifferenceInsideTheRunToRunSpreadIsTheSame() {
        // Medians 14.7 and 16.0 differ by 1.3 s, but the baseline's own runs spread over 3.8 s.
        MetricComparison c = MetricComparison.of("failover_time.client", LOWER_IS_BETTER,
                List.of(13.7, 14.7, 17.5), List.of(15.9, 16.0, 16.2));

        assertThat(c.judgement()).isEqualTo(Judgement.SAME);
    }

    @Test
    void disjointRangesWhoseGapIsWithinTheLargerSpreadAreStillTheSame() {
        // Ranges [10, 14] and [14.5, 15]: disjoint, but the medians differ by 3 and baseline spreads over 4.
        MetricComparison c = MetricComparison.of("failover_time.client", LOWER_IS_BETTER,
                List.of(10.0, 12.0, 14.0), List.of(14.5, 15.0, 15.0));

        assertThat(c.judgement()).isEqualTo(Judgement.SAME);
    }

    @Test
    void theDirectionDecidesBetterOrWorse() {
        assertThat(MetricComparison.of("failover_time.client", LOWER_IS_BETTER,
                List.of(20.0, 21.0, 22.0), List.of(13.0, 14.0, 15.0)).judgement()).isEqualTo(Judgement.BETTER);
        assertThat(MetricComparison.of("read_offload.share", HIGHER_IS_BETTER,
                List.of(0.60, 0.62, 0.61), List.of(0.95, 0.96, 0.97)).judgement()).isEqualTo(Judgement.BETTER);
        assertThat(MetricComparison.of("read_offload.share", HIGHER_IS_BETTER,
                List.of(0.95, 0.96, 0.97), List.of(0.60, 0.62, 0.61)).judgement()).isEqualTo(Judgement.WORSE);
        // A constant count that moves is a difference even with no spread: 0 lost against 5 lost every time.
        assertThat(MetricComparison.of("data_loss.lost", LOWER_IS_BETTER,
                List.of(0.0, 0.0, 0.0), List.of(5.0, 5.0, 5.0)).judgement()).isEqualTo(Judgement.WORSE);
    }

    @Test
    void oneRunAgainstOneRunIsNotAJudgement() {
        assertThat(MetricComparison.of("failover_time.client", LOWER_IS_BETTER, List.of(13.7), List.of(20.6))
                .judgement()).isEqualTo(Judgement.UNDECIDED);
        assertThat(MetricComparison.of("data_loss.lost", LOWER_IS_BETTER, List.of(0.0), List.of(0.0))
                .judgement()).isEqualTo(Judgement.SAME);
        assertThatThrownBy(() -> MetricComparison.of("x", LOWER_IS_BETTER, List.of(), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSideAgainstItselfIsAlwaysTheSame() {
        List<Double> runs = List.of(13.7, 14.7, 17.5);
        assertThat(MetricComparison.of("failover_time.client", LOWER_IS_BETTER, runs, runs).judgement())
                .isEqualTo(Judgement.SAME);
    }

    @Test
    void aCountThatIsZeroOnEveryBaselineRunAndNotOnACandidateRunIsWorseWhateverTheSpread() {
        // Equal medians (0 and 0) and overlapping ranges: the rule for times would say "same".
        MetricComparison lost = MetricComparison.of("data_loss.lost", LOWER_IS_BETTER,
                List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 5.0));
        assertThat(lost.difference()).isZero();
        assertThat(lost.judgement()).isEqualTo(Judgement.WORSE);
        // The other way round the candidate stopped losing writes.
        assertThat(MetricComparison.of("data_loss.lost", LOWER_IS_BETTER, List.of(0.0, 3.0, 0.0), List.of(0.0, 0.0, 0.0))
                .judgement()).isEqualTo(Judgement.BETTER);
        // Even one lost write in one run against zero on one run: an event that happened is not noise.
        assertThat(MetricComparison.of("data_loss.lost", LOWER_IS_BETTER, List.of(0.0), List.of(1.0))
                .judgement()).isEqualTo(Judgement.WORSE);
    }

    @Test
    void countsThatAreNonZeroOnBothSidesAreJudgedInsideTheirSpread() {
        // A design that loses writes now and then on both sides: 0..40 against 0..35 is the same.
        assertThat(MetricComparison.of("data_loss.lost", LOWER_IS_BETTER, List.of(0.0, 12.0, 40.0), List.of(35.0, 0.0, 3.0))
                .judgement()).isEqualTo(Judgement.SAME);
        // Far beyond both spreads: worse.
        assertThat(MetricComparison.of("data_loss.lost", LOWER_IS_BETTER, List.of(1.0, 2.0, 3.0), List.of(200.0, 210.0, 230.0))
                .judgement()).isEqualTo(Judgement.WORSE);
    }

    @Test
    void aTimeThatNeverCameOnACandidateRunIsWorseWhateverTheSpread() {
        // Median 11 on both sides, but the candidate's third run never wrote again.
        MetricComparison c = MetricComparison.of("failover_time.client", LOWER_IS_BETTER,
                List.of(10.0, 11.0, 12.0), List.of(10.5, 11.0, Double.POSITIVE_INFINITY));
        assertThat(c.judgement()).isEqualTo(Judgement.WORSE);
        assertThat(MetricComparison.of("failover_time.client", LOWER_IS_BETTER,
                List.of(Double.POSITIVE_INFINITY, 11.0, 12.0), List.of(10.5, 11.0, 11.5)).judgement()).isEqualTo(Judgement.BETTER);
    }

    @Test
    void aNonZeroTimeOnBothSidesIsNotACountRule() {
        // Times are never judged by the zero rule: 0 s probe gap (no outage seen) against 0.4 s is inside a 1 s spread.
        assertThat(MetricComparison.of("failover_time.probe", LOWER_IS_BETTER, List.of(0.0, 0.0, 1.0), List.of(0.4, 0.0, 0.0))
                .judgement()).isEqualTo(Judgement.SAME);
    }
}
