package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectationTest {

    private static ExpectationResult eval(String metric, String limit, Map<String, ?> metrics) {
        return Expectation.parse(metric, limit).evaluate(metrics);
    }

    @ParameterizedTest(name = "{0} {1} against {2} s: {3}")
    @CsvSource(delimiter = '|', value = {
            "failover_time.client | < 30s     | 11.2  | true  | 11.2 s",
            "failover_time.client | <30s      | 30    | false | 30 s",
            "failover_time.client | <= 30 s   | 30    | true  | 30 s",
            "failover_time.client | < 500ms   | 0.5   | false | 500 ms",
            "failover_time.client | <= 500ms  | 0.5   | true  | 500 ms",
            "failover_time.client | < 1m      | 59.9  | true  | 59.9 s",
            "failover_time.client | < 1.5min  | 91    | false | 91 s",
            "failover_time.client | > 2s      | 2.5   | true  | 2.5 s",
            "failover_time.client | >= 2s     | 1.99  | false | 1.99 s",
            "failover_time.client | == 0      | 0     | true  | 0 s",
            "failover_time.client | 0         | 0.001 | false | 1 ms",
    })
    void comparesTimesInSeconds(String metric, String limit, double measured, boolean passed, String shown) {
        ExpectationResult r = eval(metric, limit, Map.of(metric, measured));
        assertThat(r.passed()).isEqualTo(passed);
        assertThat(r.measured()).isEqualTo(shown);
        assertThat(r.limitText()).isEqualTo(limit.trim());
        assertThat(r.category()).isEqualTo(Category.SLOW_FAILOVER);
    }

    @ParameterizedTest(name = "{0} against {1} B: {2}")
    @CsvSource(delimiter = '|', value = {
            "< 16MB     | 16777215   | true",
            "< 16MB     | 16777216   | false",
            "< 16MiB    | 16777216   | false",
            "<= 16384kB | 16777216   | true",
            "<= 16384KB | 16777216   | true",
            "< 1GB      | 1073741823 | true",
            "< 512B     | 600        | false",
            "< 1000     | 999        | true",
            "== 0       | 0          | true",
    })
    void comparesSizesWithPostgresUnits(String limit, long measured, boolean passed) {
        assertThat(eval("replica_lag.max_bytes", limit, Map.of("replica_lag.max_bytes", measured)).passed()).isEqualTo(passed);
    }

    @Test
    void showsSizesFractionsAndCountsWithTheirUnits() {
        assertThat(eval("replica_lag.max_bytes", "< 16MB", Map.of("replica_lag.max_bytes", 55L * 1024 * 1024)))
                .isEqualTo(new ExpectationResult("replica_lag.max_bytes", "< 16MB", "55 MB", false, Category.REPLICA_LAG));
        assertThat(eval("read_offload.share", ">= 50%", Map.of("read_offload.share", 0.75)))
                .isEqualTo(new ExpectationResult("read_offload.share", ">= 50%", "75%", true, Category.READ_OFFLOAD));
        assertThat(eval("read_offload.share", ">= 0.8", Map.of("read_offload.share", 0.75)))
                .isEqualTo(new ExpectationResult("read_offload.share", ">= 0.8", "0.75", false, Category.READ_OFFLOAD));
        assertThat(eval("data_loss.lost", "0", Map.of("data_loss.lost", 3)))
                .isEqualTo(new ExpectationResult("data_loss.lost", "0", "3", false, Category.DATA_LOSS));
        assertThat(eval("data_loss.lost", "== 0", Map.of("data_loss.lost", 0)).passed()).isTrue();
        assertThat(eval("bank.wrong_reads", "== 0", Map.of("bank.wrong_reads", 2)).category()).isEqualTo(Category.INVARIANT);
    }

    @Test
    void splitBrainIsJudgedAsText() {
        assertThat(eval("split_brain", "none", Map.of("split_brain", "none")))
                .isEqualTo(new ExpectationResult("split_brain", "none", "none", true, Category.SPLIT_BRAIN));
        assertThat(eval("split_brain", "== none", Map.of("split_brain", "none")).passed()).isTrue();
        assertThat(eval("split_brain", "\"none\"", Map.of("split_brain", "none")).passed()).isTrue();
        ExpectationResult r = eval("split_brain", "none", Map.of("split_brain", "pg1 and pg2 both accepted writes"));
        assertThat(r.passed()).isFalse();
        assertThat(r.category()).isEqualTo(Category.SPLIT_BRAIN);
        assertThat(r.measured()).isEqualTo("pg1 and pg2 both accepted writes");
        assertThat(eval("split_brain.nodes_accepting_writes", "<= 2", Map.of("split_brain.nodes_accepting_writes", 2)).passed()).isTrue();
    }

    /** Patroni's synchronous_standby_names for two standbys is "2 (node2,node3)": text that starts with a digit. */
    @Test
    void aTextLimitMayStartWithADigit() {
        Map<String, Object> after = Map.of("roles.synchronous_standby_names_after", "2 (node2,node3)");
        assertThat(eval("roles.synchronous_standby_names_after", "2 (node2,node3)", after).passed()).isTrue();
        assertThat(eval("roles.synchronous_standby_names_after", "== 2 (node2,node3)", after).passed()).isTrue();
        assertThat(eval("roles.synchronous_standby_names_after", "2 (node2,node4)", after).passed()).isFalse();
        assertThat(eval("roles.synchronous_standby_names_after", "2 (node2,node3)", Map.of("roles.synchronous_standby_names_after", "node3"))
                .measured()).isEqualTo("node3");
        // a bare number is still refused for a text metric, and a number metric still wants a known unit
        assertThatThrownBy(() -> Expectation.parse("roles.synchronous_standby_names_after", "2"))
                .hasMessageContaining("is text; compare it with a word");
        assertThatThrownBy(() -> Expectation.parse("failover_time.client", "< 2 (s)"))
                .hasMessageContaining("unknown unit '(s)'");
    }

    @Test
    void aMissingMetricFailsAsAHarnessErrorNeverAPass() {
        ExpectationResult r = eval("failover_time.dcs", "< 30s", Map.of("failover_time.client", 3.0));
        assertThat(r).isEqualTo(new ExpectationResult("failover_time.dcs", "< 30s", "missing", false, Category.HARNESS_ERROR));
        assertThat(r.undetermined()).isTrue();
        assertThat(r.describe()).isEqualTo("failover_time.dcs = missing (limit < 30s): not judged, harness or infrastructure error");
    }

    @Test
    void anUnknownOrAbsentCheckerFailsAsAHarnessError() {
        History noFinalRead = FailoverTimeCheckerTest.killLeader().build();
        CheckResults results = Checkers.runAll(noFinalRead, List.of(new FailoverTimeChecker(), new DataLossChecker()));
        ExpectationResult lost = Expectation.parse("data_loss.lost", "== 0").evaluate(results);
        assertThat(lost.passed()).isFalse();
        assertThat(lost.category()).isEqualTo(Category.HARNESS_ERROR);
        assertThat(lost.measured()).isEqualTo("unknown: checker data_loss could not judge the run");

        ExpectationResult notRun = Expectation.parse("split_brain", "none").evaluate(results);
        assertThat(notRun.passed()).isFalse();
        assertThat(notRun.category()).isEqualTo(Category.HARNESS_ERROR);
        assertThat(notRun.measured()).isEqualTo("not measured: checker split_brain did not run");

        ExpectationResult client = Expectation.parse("failover_time.client", "< 30s").evaluate(results);
        assertThat(client.describe()).isEqualTo("failover_time.client = 11.1 s (limit < 30s): passed");
        ExpectationResult tight = Expectation.parse("failover_time.client", "< 10s").evaluate(results);
        assertThat(tight.describe()).isEqualTo("failover_time.client = 11.1 s (limit < 10s): FAILED, slow failover");
    }

    @Test
    void nestedMetricsAreReachedByTheirFullNames() {
        History h = ReplicaLagCheckerTest.laggingCascade().build();
        CheckResults results = Checkers.runAll(h, List.of(new ReplicaLagChecker()));
        assertThat(Expectation.parse("replica_lag.by_replica.pg2.max_bytes", "< 60MB").evaluate(results).passed()).isTrue();
        assertThat(Expectation.parse("replica_lag.by_hop.pg2->pg3.max_bytes", "< 50kB").evaluate(results).measured()).isEqualTo("97.66 kB");
        assertThat(Expectation.parse("replica_lag.during_fault.max_seconds", "< 5s").evaluate(results).passed()).isFalse();
        assertThat(Expectation.parse("replica_lag.by_replica.pg9.max_bytes", "< 1MB").evaluate(results).measured()).isEqualTo("missing");
        // Node names with dots still resolve: the longest prefix holding a map wins.
        assertThat(MetricCatalog.lookup(Map.of("replica_lag.by_replica", Map.of("pg.east.1", Map.of("max_bytes", 5L))),
                "replica_lag.by_replica.pg.east.1.max_bytes")).contains(5L);
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "failover_time.client  | < 30 sec | failover_time.client: unknown unit 'sec' in '< 30 sec' (time: ms, s, m; size: B, kB, MB, GB; share: %)",
            "failover_time.client  | < 30     | failover_time.client: '< 30' needs a unit (ms, s or m)",
            "failover_time.client  | < 16MB   | failover_time.client: '< 16MB' is a size in bytes, but failover_time.client is a time",
            "failover_time.client  | 30s      | failover_time.client: '30s' needs a comparison: <, <=, >, >= or ==",
            "failover_time.client  | < fast   | failover_time.client: 'fast' is not a number with a unit (in '< fast')",
            "failover_time.client  | ''       | failover_time.client: empty limit (write e.g. \"< 30s\", \"== 0\", \"none\")",
            "replica_lag.max_bytes | < 30s    | replica_lag.max_bytes: '< 30s' is a time, but replica_lag.max_bytes is a size in bytes",
            "replica_lag.max_bytes | < 16mb/s | replica_lag.max_bytes: unknown unit 'mb/s' in '< 16mb/s' (time: ms, s, m; size: B, kB, MB, GB; share: %)",
            "read_offload.share    | >= 50    | read_offload.share: a share is a fraction from 0 to 1 or a percentage; '>= 50' is neither (did you mean 50%?)",
            "data_loss.lost        | < 5s     | data_loss.lost: '< 5s' is a time, but data_loss.lost is a count",
            "data_loss.lost        | none     | data_loss.lost: 'none' is not a number (in 'none')",
            "data_loss.lost_keys   | == 0     | data_loss.lost_keys: 'data_loss.lost_keys' is a list, not a value a limit can apply to",
            "split_brain           | < none   | split_brain: text can only be compared with ==, not < (in '< none')",
            "split_brain           | 0        | split_brain: 'split_brain' is text; compare it with a word, e.g. \"none\"",
            "failover_time.clinet  | < 30s    | failover_time.clinet: unknown metric 'failover_time.clinet' (failover_time has: failover_time.client, failover_time.client_observed_down, failover_time.dcs, failover_time.redundancy, failover_time.fault_at, failover_time.old_leader, failover_time.new_leader, failover_time.write_gaps, failover_time.by_fault, failover_time.probe, failover_time.probe_ro, failover_time.client_minus_probe, failover_time.client_minus_probe_cause, failover_time.stages_outside_window, failover_time.stage_anomalies, failover_time.stages, failover_time.predicted, failover_time.predicted_step)",
            "failover.client       | < 30s    | failover.client: unknown checker 'failover' (known: failover_time, data_loss, replica_lag, read_offload, split_brain, bank, standby_cluster, backup, list_append, leader, timeline, roles)",
            "failover_time.client.x | < 30s   | failover_time.client.x: 'failover_time.client' has no parts; 'failover_time.client.x' is not a metric",
            "''                    | < 30s    | (no metric): an expectation needs a metric name",
    })
    void badExpectationsSayWhatIsWrongWithWhichMetric(String metric, String limit, String message) {
        assertThatThrownBy(() -> Expectation.parse(metric, limit))
                .isInstanceOf(ExpectationParseException.class)
                .hasMessage(message);
    }

    @Test
    void parseErrorsCarryTheMetricAndTextForTheLoader() {
        ExpectationParseException e = org.junit.jupiter.api.Assertions.assertThrows(ExpectationParseException.class,
                () -> Expectation.parse("failover_time.client", " < 30 sec "));
        assertThat(e.metric()).isEqualTo("failover_time.client");
        assertThat(e.text()).isEqualTo("< 30 sec");
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }

    /** The catalogue and the checkers must agree: every metric a checker publishes is known, with the right kind. */
    @Test
    void everyPublishedMetricIsInTheCatalogWithAMatchingKind() {
        HistoryBuilder b = FailoverTimeCheckerTest.killLeader()
                .read("r1", 5.0, 5.01, "pg2", true, 40L, 48L).failedRead("r1", 12, 12.1)
                .replay(5, "pg2", 100).lag(5.1, "pg1", "pg2", 100L, 2.0).replay(36, "pg2", 0)
                .bankSetup(0, 10, 1000).transfer("t1", 1, 1.01, 1, 2, 5).balance("b1", 2, 2.01, 999, "pg1")
                .info(3, "observer", dev.pgcert.history.Event.Fn.STANDBY_LAG, "leader", "dr1", "reachable", true,
                        "in_recovery", true, "lag_bytes", 4096L, "lag_seconds", 0.25);
        History h = b.finalReadOf(50, "pg2", k -> k != 3).build();
        // the stage checker needs its observers' events: FailoverStagesCheckerTest checks its metrics against the catalogue
        // the backup checker needs backup steps and the list-append checker transactions: BackupCheckerTest and
        // CheckerDeclarationsTest cover their metrics
        CheckResults results = Checkers.runAll(h, Checkers.all().stream()
                .filter(c -> !(c instanceof FailoverStagesChecker) && !(c instanceof BackupChecker) && !(c instanceof ListAppendChecker)).toList());
        assertThat(results.results()).extracting(CheckResult::verdict).doesNotContain(Verdict.UNKNOWN);
        List<String> checked = new ArrayList<>();
        walk("", results.metrics(), (name, value) -> {
            assertThat(MetricCatalog.problem(name)).as(name).isEmpty();
            MetricCatalog.Kind kind = MetricCatalog.kindOf(name).orElseThrow();
            switch (kind) {
                case TEXT -> assertThat(value).as(name).isInstanceOf(String.class);
                case LIST -> assertThat(value).as(name).isInstanceOf(List.class);
                default -> assertThat(value).as(name + " (" + kind + ")").isInstanceOf(Number.class);
            }
            checked.add(name);
        });
        assertThat(checked).contains("failover_time.client", "failover_time.write_gaps.longest", "failover_time.by_fault.kill-1.dcs",
                "data_loss.lost", "replica_lag.by_hop.pg1->pg2.max_seconds", "read_offload.staleness.max_seconds",
                "read_offload.by_node.pg2", "split_brain", "bank.wrong_totals", "standby_cluster.lag_bytes_max");
        assertThat(MetricCatalog.kindOf("failover_time.write_gaps.longest")).contains(MetricCatalog.Kind.TIME);
        assertThat(MetricCatalog.kindOf("replica_lag.by_replica.pg2.max_bytes")).contains(MetricCatalog.Kind.BYTES);
        assertThat(MetricCatalog.kindOf("read_offload.staleness.max_keys")).contains(MetricCatalog.Kind.COUNT);
    }

    /** Every leaf of a nested metrics map, with its dotted name. */
    static void walk(String prefix, Map<String, ?> metrics, java.util.function.BiConsumer<String, Object> leaf) {
        metrics.forEach((k, v) -> {
            String name = prefix.isEmpty() ? k : prefix + "." + k;
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> inner = (Map<String, ?>) m;
                walk(name, inner, leaf);
            } else {
                leaf.accept(name, v);
            }
        });
    }
}
