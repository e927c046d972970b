package dev.pgcert.check;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.HistoryBuilder;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.load.Profile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.pgcert.history.HistoryBuilder.history;
import static dev.pgcert.history.HistoryBuilder.member;
import static org.assertj.core.api.Assertions.assertThat;

/** What every registered checker promises by its declaration, checked for all of them at once. */
class CheckerDeclarationsTest {

    /** A run with something for every checker: writes through a failover, reads, lag, a final read, the bank. */
    private static History everything() {
        HistoryBuilder b = history().bankSetup(0, 10, 1000)
                .cluster(0.5, "pg1", member("pg1", "leader", "running", 1), member("pg2", "replica", "streaming", 1));
        b.info(2, "observer", Event.Fn.STANDBY_LAG, "leader", "dr1", "reachable", true, "in_recovery", true,
                "lag_bytes", 4096L, "lag_seconds", 0.2);
        b.fault("promote-1", "standby-promote", "standby:leader", 9, 9.1)
                .info(11, "observer", Event.Fn.STANDBY_LAG, "leader", "dr1", "reachable", true, "in_recovery", false);
        b.steadyWrites("w1", 1, 5, 0.1, "pg1", 1).fault("kill-1", "kill", "pg1", 5, 6.0)
                .leader(7, "pg1", "pg2", 2L).steadyWrites("w1", 8, 12, 0.1, "pg2", 2);
        for (int s = 1; s <= 12; s++) {
            b.read("r1", s + 0.01, s + 0.02, "pg2", true, 10L, 12L).lag(s + 0.03, "pg1", "pg2", 1000L * s, 5.0)
                    .replay(s + 0.04, "pg2", 1000L * s).balance("b1", s + 0.05, s + 0.06, 1000, "pg1")
                    .transfer("t1", s + 0.07, s + 0.08, 1, 2, 5);
        }
        b.info(12.5, "observer", BackupChecker.ARCHIVE, "node", "pg2", "lag_bytes", 100L, "lag_seconds", 1.5, "failed_count", 0L);
        BackupCheckerTest.step(b, 0.2, 0.4, "backup-1", "backup", "command_ms", 200L, "database_bytes", 1000L, "repo_bytes", 100L);
        b.invoke(3, "w9", Event.Fn.TXN, "txn", List.of(java.util.Arrays.asList("append", 1L, 1L)), "isolation", "serializable")
                .ok(3.1, "w9", Event.Fn.TXN, "txn", List.of(List.of("append", 1L, 1L)), "isolation", "serializable", "node", "pg1")
                .invoke(4, "w9", Event.Fn.TXN, "txn", List.of(java.util.Arrays.asList("r", 1L, null)), "isolation", "serializable")
                .ok(4.1, "w9", Event.Fn.TXN, "txn", List.of(List.of("r", 1L, List.of(1L))), "isolation", "serializable", "node", "pg1");
        b.info(0.6, "sampler", Event.Fn.LEADER_CONFIG, "node", "pg1", "synchronous_standby_names", "", "slots", List.of("pg2"))
                .info(7.5, "sampler", Event.Fn.LEADER_CONFIG, "node", "pg2", "synchronous_standby_names", "", "slots", List.of("pg1"))
                .cluster(12.5, "pg2", member("pg1", "replica", "streaming", 2), member("pg2", "leader", "running", 2));
        List<Long> keys = new ArrayList<>(b.okKeys());
        return b.ok(13, "checker", Event.Fn.FINAL_READ, "node", "pg2", "keys", keys, "lists", Map.of("1", List.of(1L))).build();
    }

    @Test
    void everyMetricACheckerPublishesIsInTheCatalogueItsDeclarationBuilt() {
        List<String> undeclared = new ArrayList<>();
        for (CheckResult r : Checkers.runAll(everything(), Checkers.all()).results()) {
            assertThat(r.metrics()).as("%s published nothing: %s", r.checker(), r.explanation()).isNotEmpty();
            r.qualifiedMetrics().keySet().forEach(m -> MetricCatalog.problem(m).ifPresent(undeclared::add));
        }
        assertThat(undeclared).isEmpty();
        assertThat(MetricCatalog.checkers()).containsExactlyElementsOf(Checkers.names());
    }

    @Test
    void anEmptyHistoryIsNeverAPass() {
        Checkers.runAll(History.of(List.of()), Checkers.all()).results().forEach(r ->
                assertThat(r.verdict()).as("%s on an empty history: %s", r.checker(), r.explanation()).isEqualTo(Verdict.UNKNOWN));
    }

    @Test
    void aHistoryOfGarbageValuesIsNeverAPass() {
        // Every event a checker reads, with values of the wrong type: it must throw (UNKNOWN) or say it lacks data.
        List<Event> garbage = new ArrayList<>();
        long t = 1_000_000_000L;
        for (String f : List.of(Event.Fn.WRITE, Event.Fn.READ, Event.Fn.TRANSFER, Event.Fn.BALANCE, Event.Fn.FINAL_READ, Event.Fn.TXN,
                Event.Fn.BULK)) {
            garbage.add(new Event(t++, "p-" + f, Event.Type.INVOKE, f, Map.of("key", "k", "from", "x", "amount", "y")));
            garbage.add(new Event(t++, "p-" + f, Event.Type.OK, f,
                    Map.of("key", "k", "keys", "none", "total", "lots", "max_key", "m", "timeline", "t")));
        }
        for (String f : List.of(Event.Fn.LAG, Event.Fn.REPLAY, Event.Fn.CLUSTER, Event.Fn.LEADER, Event.Fn.BANK_SETUP, Event.Fn.LEADER_CONFIG)) {
            garbage.add(new Event(t++, "sampler", Event.Type.INFO, f,
                    Map.of("lag_bytes", "x", "replica", 3, "members", "none", "to", 5, "total_expected", "z")));
        }
        garbage.add(new Event(t++, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f", "kind", "kill", "phase", "start")));
        garbage.add(new Event(t, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f", "kind", "kill", "phase", "end")));
        Checkers.runAll(History.of(garbage), Checkers.all()).results().forEach(r ->
                assertThat(r.verdict()).as("%s on garbage: %s", r.checker(), r.explanation()).isNotEqualTo(Verdict.VALID));
    }

    @Test
    void theRunnerPicksOnlyCheckersWithSomethingToJudge() {
        LoadSpec writesOnly = LoadSpec.builder().duration(Duration.ofSeconds(60)).writes(Profile.rate(10)).reads((Profile) null).build();
        LoadSpec withReads = LoadSpec.builder().duration(Duration.ofSeconds(60)).writes(Profile.rate(10)).reads(Profile.rate(10)).build();
        LoadSpec bankOnly = LoadSpec.builder().duration(Duration.ofSeconds(60)).writes((Profile) null).reads((Profile) null)
                .balances(Profile.rate(1)).build();

        assertThat(Checkers.applicableTo(writesOnly)).extracting(Checker::name)
                .doesNotContain(BankChecker.NAME, ReadOffloadChecker.NAME).contains(DataLossChecker.NAME, FailoverTimeChecker.NAME);
        assertThat(Checkers.applicableTo(withReads)).extracting(Checker::name)
                .contains(ReadOffloadChecker.NAME).doesNotContain(BankChecker.NAME);
        assertThat(Checkers.applicableTo(bankOnly)).extracting(Checker::name).contains(BankChecker.NAME);
    }

    @Test
    void anExpectationFallsUnderTheCategoryItsCheckerDeclares() {
        for (Checker c : Checkers.all()) {
            String metric = c.metrics().get(0).name();
            Expectation e = Expectation.parse(c.name().equals(metric) ? metric : c.name() + "." + metric,
                    c.metrics().get(0).kind() == MetricCatalog.Kind.TEXT ? "none" : ">= 0");
            assertThat(e.category()).as(c.name()).isEqualTo(c.category());
        }
    }

    @Test
    void eachDeclaredMetricHasAUnitFromItsKind() {
        assertThat(Checkers.byName(FailoverTimeChecker.NAME).orElseThrow().metrics())
                .filteredOn(m -> m.name().equals("client")).extracting(Metric::unit).containsExactly("s");
        assertThat(Checkers.byName(ReplicaLagChecker.NAME).orElseThrow().metrics())
                .filteredOn(m -> m.name().equals("max_bytes")).extracting(Metric::unit).containsExactly("bytes");
        assertThat(Checkers.byName(ReadOffloadChecker.NAME).orElseThrow().metrics())
                .filteredOn(m -> m.name().equals("share")).extracting(Metric::unit).containsExactly("fraction");
    }
}
