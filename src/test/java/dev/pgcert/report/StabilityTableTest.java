package dev.pgcert.report;

import dev.pgcert.check.Category;
import dev.pgcert.check.CheckResult;
import dev.pgcert.check.CheckResults;
import dev.pgcert.check.ExpectationResult;
import dev.pgcert.check.RunSummary;
import dev.pgcert.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StabilityTableTest {

    @Test
    void aScenarioWhoseVerdictChangedIsFlaggedAndFiguresShowTheirSpread(@TempDir Path runs) throws IOException {
        run(runs, "crash-20261124-100000", "crash", true, "13.6", "10.1", 0);
        run(runs, "crash-20261124-110000", "crash", false, "17.5", "11.0", 3);
        run(runs, "crash-20261124-120000", "crash", true, "14.0", "10.5", 0);
        run(runs, "pinned-20261124-100000", "pinned", false, "\"Infinity\"", "9.0", 0);
        run(runs, "pinned-20261124-110000", "pinned", false, "\"Infinity\"", "9.5", 0);

        String table = StabilityTable.render(StabilityTable.read(runs), 3);

        assertThat(table).contains("| crash | 3 | pass, fail, pass | **no** | 13.6 / 14.0 / 17.5 | 10.1 / 10.5 / 11.0 | 0 / 0 / 3 |");
        assertThat(table).contains("| pinned | 2 | fail, fail | yes (fewer runs) | never / never / never | 9.0 / 9.0 / 9.5 | 0 / 0 / 0 |");
    }

    @Test
    void onlyTheLastRunsOfEachScenarioCount(@TempDir Path runs) throws IOException {
        run(runs, "crash-20261124-090000", "crash", false, "99", "99", 9);
        run(runs, "crash-20261124-100000", "crash", true, "13.0", "10.0", 0);
        run(runs, "crash-20261124-110000", "crash", true, "15.0", "12.0", 0);

        assertThat(StabilityTable.render(StabilityTable.read(runs), 2))
                .contains("| crash | 2 | pass, pass | yes | 13.0 / 13.0 / 15.0 |");
    }

    @Test
    void aRunsMetricsJsonIsReadBackAsTheTypedRecordTheRunnerWrote(@TempDir Path runs) throws IOException {
        CheckResults checks = new CheckResults(List.of(
                new CheckResult("failover_time", Verdict.INVALID, Map.of("client", Double.POSITIVE_INFINITY, "dcs", 9.5), "never came back"),
                new CheckResult("data_loss", Verdict.VALID, Map.of("lost", 0), "none lost")));
        ExpectationResult miss = new ExpectationResult("failover_time.client", "< 30s", "never", false, Category.SLOW_FAILOVER);
        RunSummary written = RunSummary.of("crash", "three-node", checks, List.of(miss));
        written.write(runs.resolve("crash-20261124-100000").resolve(RunSummary.FILE_NAME));

        RunSummary read = RunSummary.read(runs.resolve("crash-20261124-100000").resolve(RunSummary.FILE_NAME));
        assertThat(read.passed()).isFalse();
        assertThat(read.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(read.expectations()).containsExactly(miss);
        assertThat(read.failures()).extracting(ExpectationResult::category).containsExactly(Category.SLOW_FAILOVER);
        assertThat(StabilityTable.render(StabilityTable.read(runs), 3))
                .contains("| crash | 1 | fail | yes (fewer runs) | never / never / never | 9.5 / 9.5 / 9.5 | 0 / 0 / 0 |");
    }

    @Test
    void missingFiguresShowAsADash() {
        assertThat(StabilityTable.spread(List.of(Double.NaN), "%.1f")).isEqualTo("-");
    }

    private static void run(Path runs, String dir, String scenario, boolean passed, String client, String dcs, int lost)
            throws IOException {
        Path d = Files.createDirectories(runs.resolve(dir));
        Files.writeString(d.resolve("metrics.json"), """
                {"scenario": "%s", "passed": %s, "checks": [
                  {"checker": "failover_time", "verdict": "VALID", "metrics": {"client": %s, "dcs": %s}},
                  {"checker": "data_loss", "verdict": "VALID", "metrics": {"lost": %d}}]}
                """.formatted(scenario, passed, client, dcs, lost));
    }
}
