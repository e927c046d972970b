package dev.pgcert.scenario;

import dev.pgcert.check.CheckResults;
import dev.pgcert.check.ExpectationResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a scenario run produced: the checkers' results, every expectation judged, and where the
 * evidence lies (the history, the metrics summary, the timeline plot, Gatling's report, the logs).
 */
public record ScenarioResult(Scenario scenario, Path runDirectory, CheckResults checks,
                             List<ExpectationResult> expectations, Path history, Path summary,
                             Optional<Path> plot, Optional<Path> gatlingReport, String clusterBefore, String clusterAfter) {

    /** Passed only when every expectation passed; an undetermined expectation is never a pass. */
    public boolean passed() {
        return expectations.stream().allMatch(e -> e.passed() && !e.undetermined());
    }

    public List<ExpectationResult> failures() {
        return expectations.stream().filter(e -> !e.passed() || e.undetermined()).toList();
    }
}
