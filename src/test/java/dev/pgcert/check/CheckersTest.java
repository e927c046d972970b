package dev.pgcert.check;

import dev.pgcert.history.History;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static org.assertj.core.api.Assertions.assertThat;

class CheckersTest {

    private static Checker fixed(String name, Verdict v, Map<String, Object> metrics) {
        return new Checker() {
            public String name() {
                return name;
            }

            public Declaration declaration() {
                return Declaration.of(name(), Category.INVARIANT);
            }

            public CheckResult check(History h) {
                return new CheckResult(name, v, metrics, v.name());
            }
        };
    }

    private static final Checker THROWS = new Checker() {
        public String name() {
            return "boom";
        }

        public Declaration declaration() {
            return Declaration.of(name(), Category.INVARIANT);
        }

        public CheckResult check(History h) {
            throw new IllegalStateException("index out of whack");
        }
    };

    private static final Checker RETURNS_NULL = new Checker() {
        public String name() {
            return "silent";
        }

        public Declaration declaration() {
            return Declaration.of(name(), Category.INVARIANT);
        }

        public CheckResult check(History h) {
            return null;
        }
    };

    @Test
    void mergeKeepsTheWorstVerdict() {
        assertThat(Verdict.VALID.merge(Verdict.UNKNOWN)).isEqualTo(Verdict.UNKNOWN);
        assertThat(Verdict.UNKNOWN.merge(Verdict.INVALID)).isEqualTo(Verdict.INVALID);
        assertThat(Verdict.INVALID.merge(Verdict.VALID)).isEqualTo(Verdict.INVALID);
        assertThat(Verdict.VALID.merge(Verdict.VALID)).isEqualTo(Verdict.VALID);
        assertThat(Verdict.merge(List.of(Verdict.VALID, Verdict.VALID))).isEqualTo(Verdict.VALID);
        assertThat(Verdict.merge(List.of(Verdict.VALID, Verdict.UNKNOWN, Verdict.VALID))).isEqualTo(Verdict.UNKNOWN);
        assertThat(Verdict.merge(List.of(Verdict.UNKNOWN, Verdict.INVALID, Verdict.VALID))).isEqualTo(Verdict.INVALID);
        assertThat(Verdict.merge(List.of())).as("nothing checked is not a pass").isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void aThrowingCheckerIsUnknownAndTheOthersStillRun() {
        CheckResults results = Checkers.runAll(history().build(),
                List.of(fixed("a", Verdict.VALID, Map.of("x", 1)), THROWS, RETURNS_NULL));
        assertThat(results.results()).extracting(CheckResult::checker, CheckResult::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", Verdict.VALID),
                org.assertj.core.groups.Tuple.tuple("boom", Verdict.UNKNOWN),
                org.assertj.core.groups.Tuple.tuple("silent", Verdict.UNKNOWN));
        assertThat(results.result("boom").orElseThrow().explanation())
                .isEqualTo("checker boom failed: IllegalStateException: index out of whack");
        assertThat(results.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(results.verdictOf("a")).contains(Verdict.VALID);
        assertThat(results.verdictOf("nope")).isEmpty();
    }

    @Test
    void anInvalidCheckerOutweighsAThrowingOne() {
        CheckResults results = Checkers.runAll(history().build(), List.of(THROWS, fixed("b", Verdict.INVALID, Map.of())));
        assertThat(results.verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void metricsAreQualifiedByCheckerAndAMetricNamedLikeItsCheckerIsBare() {
        CheckResults results = Checkers.runAll(history().build(), List.of(
                fixed("split_brain", Verdict.VALID, Map.of("split_brain", "none", "anomalies", 0)),
                fixed("failover_time", Verdict.VALID, Map.of("client", 1.5))));
        assertThat(results.metrics()).containsOnly(
                Map.entry("split_brain", "none"), Map.entry("split_brain.anomalies", 0), Map.entry("failover_time.client", 1.5));
    }

    @Test
    void nullMetricsAreDroppedNotStored() {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("dcs", null);
        m.put("client", 2.0);
        CheckResult r = new CheckResult("failover_time", Verdict.VALID, m, null);
        assertThat(r.metrics()).containsOnlyKeys("client");
        assertThat(r.explanation()).isEmpty();
    }

    @Test
    void everyCheckerIsKnownByName() {
        assertThat(Checkers.names()).containsExactly("failover_time", "data_loss", "replica_lag", "read_offload", "split_brain", "bank",
                "standby_cluster", "backup", "list_append", "leader", "timeline", "roles");
        assertThat(Checkers.byName("bank")).get().isInstanceOf(BankChecker.class);
        assertThat(Checkers.byName("nope")).isEmpty();
        assertThat(MetricCatalog.checkers()).containsExactlyInAnyOrderElementsOf(Checkers.names());
    }

    @Test
    void everyCheckerOnAnEmptyHistorySaysUnknownAndNeverThrows() {
        CheckResults results = Checkers.runAll(history().build(), Checkers.all());
        assertThat(results.results()).allSatisfy(r -> assertThat(r.explanation()).doesNotContain("failed:"));
        assertThat(results.results()).extracting(CheckResult::verdict).containsOnly(Verdict.UNKNOWN);
        assertThat(results.verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
