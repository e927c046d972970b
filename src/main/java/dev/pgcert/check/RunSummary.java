package dev.pgcert.check;

import dev.pgcert.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run's judgement found, as its {@code metrics.json} holds it: the scenario and topology, the
 * verdict, every expectation judged and every checker's result. Written and read back typed through
 * the one JSON configuration, so the report, {@code pgcert stability} and a comparison of runs read
 * the same fields the runner wrote.
 *
 * @param passed  every expectation passed (an undetermined one never passes)
 * @param verdict the checkers' merged verdict (INVALID over UNKNOWN over VALID)
 */
public record RunSummary(String scenario, String topology, boolean passed, Verdict verdict,
                         List<ExpectationResult> expectations, List<CheckResult> checks) {

    /** The file name in a run's evidence folder. */
    public static final String FILE_NAME = "metrics.json";

    public RunSummary {
        Objects.requireNonNull(scenario, "scenario");
        verdict = verdict == null ? Verdict.UNKNOWN : verdict;
        expectations = expectations == null ? List.of() : List.copyOf(expectations);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** Judges a run: the expectations against the checkers' results. */
    public static RunSummary of(String scenario, String topology, CheckResults checks, List<ExpectationResult> expectations) {
        boolean passed = expectations.stream().allMatch(e -> e.passed() && !e.undetermined());
        return new RunSummary(scenario, topology, passed, checks.verdict(), expectations, checks.results());
    }

    public CheckResults checkResults() {
        return new CheckResults(checks);
    }

    /** Every checker's metrics under full names ({@code failover_time.client}). */
    public Map<String, Object> metrics() {
        return checkResults().metrics();
    }

    /** The expectations that did not pass, undetermined ones included. */
    public List<ExpectationResult> failures() {
        return expectations.stream().filter(e -> !e.passed() || e.undetermined()).toList();
    }

    public Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Json.PRETTY.writeValue(file.toFile(), this);
        return file;
    }

    public static RunSummary read(Path file) throws IOException {
        return Json.MAPPER.readValue(file.toFile(), RunSummary.class);
    }
}
