package dev.pgcert.scenario;

import dev.pgcert.check.CheckResults;
import dev.pgcert.check.ExpectationResult;
import dev.pgcert.check.RunSummary;
import dev.pgcert.check.Verdict;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed record of one scenario run, as the runner returns it: the judgement ({@link RunSummary}:
 * verdict, metrics, expectation results, also written as {@code metrics.json}), where the evidence
 * lies, and Patroni's view of the cluster before and after. The report layer, {@code pgcert stability}
 * and comparisons of runs read this; the runner renders nothing.
 */
public record ScenarioResult(Scenario scenario, RunSummary summary, Evidence evidence, String clusterBefore, String clusterAfter) {

    /**
     * A run's evidence folder and what is in it.
     *
     * @param runDirectory  the folder ({@code target/pgcert-runs/<scenario>-<yyyyMMdd-HHmmss>})
     * @param history       the merged history ({@code history.jsonl})
     * @param metrics       the judgement ({@code metrics.json}, {@link RunSummary})
     * @param logs          the containers' logs, one file per container
     * @param gatlingReport Gatling's HTML report folder, when the load wrote one
     */
    public record Evidence(Path runDirectory, Path history, Path metrics, Path logs, Optional<Path> gatlingReport) {

        /** Where the report side puts the timeline plot of this run. */
        public Path timeline() {
            return runDirectory.resolve("timeline.png");
        }
    }

    /** Passed only when every expectation passed; an undetermined expectation is never a pass. */
    public boolean passed() {
        return summary.passed();
    }

    /** The checkers' merged verdict. */
    public Verdict verdict() {
        return summary.verdict();
    }

    public CheckResults checks() {
        return summary.checkResults();
    }

    /** Every metric under its full name. */
    public Map<String, Object> metrics() {
        return summary.metrics();
    }

    public List<ExpectationResult> expectations() {
        return summary.expectations();
    }

    public List<ExpectationResult> failures() {
        return summary.failures();
    }
}
