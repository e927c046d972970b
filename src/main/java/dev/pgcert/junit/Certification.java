package dev.pgcert.junit;

import dev.pgcert.check.ExpectationResult;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.history.History;
import dev.pgcert.report.AllureReport;
import dev.pgcert.report.CertificationFailure;
import dev.pgcert.report.StageTable;
import dev.pgcert.report.TimelinePlot;
import dev.pgcert.scenario.ClusterPool;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioResult;
import dev.pgcert.scenario.ScenarioRunner;
import dev.pgcert.topology.ProjectLayout;
import io.qameta.allure.Allure;
import io.qameta.allure.model.Label;
import io.qameta.allure.util.ResultsUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs scenarios for JUnit and turns each into an Allure test: a step per phase, a step per
 * expectation (measured value against its limit), the evidence attached, and a failure message
 * tagged with its category so Allure sorts it (data loss, slow failover, ...).
 */
public final class Certification implements AutoCloseable {
    private static final Logger PROGRESS = LoggerFactory.getLogger("dev.pgcert.progress");

    /** The report's top level: the user's cluster first, the harness's test of itself apart. */
    public static final String CERTIFICATION_SUITE = "Certification";
    public static final String SELF_CERTIFICATION_SUITE = "Self-certification";
    private static final Set<String> SUITE_LABELS = Set.of(ResultsUtils.PARENT_SUITE_LABEL_NAME,
            ResultsUtils.SUITE_LABEL_NAME, ResultsUtils.SUB_SUITE_LABEL_NAME);

    private static final Logger LOG = LoggerFactory.getLogger(Certification.class);
    private final ClusterPool clusters = new ClusterPool();
    private final Path runsDirectory;
    private final Consumer<String> console;
    /** Each cluster's component versions, read once per cluster (a cluster serves several scenarios). */
    private final Map<String, Map<String, String>> versionsByCluster = new HashMap<>();

    /** @param console where the phase and progress lines go (the command line's standard output) */
    public Certification(Path runsDirectory, Consumer<String> console) {
        this.runsDirectory = runsDirectory;
        this.console = console;
    }

    /** Evidence under the project's target/pgcert-runs, progress lines to the log. */
    public static Certification inTarget() {
        return new Certification(ProjectLayout.runs(), PROGRESS::info);
    }

    /**
     * Where the report files a scenario: parent suite "Certification" (suite: its suite tag, sub-suite:
     * its topology), or "Self-certification" for a case that states its expected outcome (suite: flawed
     * designs or corrected twins). Replaces the suite labels JUnit or {@code allure.label.*} gave.
     */
    public static List<Label> suiteLabels(Scenario scenario) {
        boolean selfCertification = scenario.expectedOutcome().isPresent();
        String suite = selfCertification
                ? (scenario.expectedOutcome().get().pass() ? "corrected twins (must pass)" : "flawed designs (must fail)")
                : scenario.tags().stream().sorted().findFirst().orElse("untagged");
        return List.of(
                ResultsUtils.createParentSuiteLabel(selfCertification ? SELF_CERTIFICATION_SUITE : CERTIFICATION_SUITE),
                ResultsUtils.createSuiteLabel(suite),
                ResultsUtils.createSubSuiteLabel(scenario.topology().name()));
    }

    /** Runs the scenario and attaches its evidence; does not judge (see {@link #assertCertified}). */
    public ScenarioResult run(Scenario scenario) throws Exception {
        // The report lists scenarios by name, not by the JUnit method that ran them.
        Allure.getLifecycle().updateTestCase(test -> {
            test.setName(scenario.name());
            test.getLabels().removeIf(l -> SUITE_LABELS.contains(l.getName()));
            test.getLabels().addAll(suiteLabels(scenario));
        });
        Allure.description(scenario.description());
        Allure.feature(scenario.topology().name());
        Allure.story(scenario.name());
        scenario.tags().forEach(t -> Allure.label("tag", t));
        // A parameter: the same scenario on two stacks is two tests in the report, not two retries.
        Allure.parameter("stack", scenario.topology().images().stack().name());
        // A random schedule's seed and plan: what replays this run exactly (seed: in the schedule block).
        scenario.schedules().forEach(schedule -> {
            Allure.parameter("seed " + schedule.phase(), schedule.seed(), true); // excluded from the history id: a new seed is not a new test
            Allure.addAttachment("schedule " + schedule.phase(), "text/plain", schedule.describe());
        });
        ScenarioRunner runner = new ScenarioRunner(clusters, new AllureRunListener(scenario.name(), console), runsDirectory);
        ScenarioResult result = runner.run(scenario);
        describeClusterOnce(scenario);
        attachEvidence(result);
        return result;
    }

    /** The stack and the version of every component, as the running containers report them. */
    private void describeClusterOnce(Scenario scenario) {
        PatroniCluster cluster = clusters.acquireExisting(scenario.topology());
        if (cluster == null) {
            return;
        }
        try {
            Map<String, String> versions = versionsByCluster.get(cluster.runId());
            if (versions == null) {
                versions = ComponentVersions.read(cluster);
                versionsByCluster.put(cluster.runId(), versions);
                ComponentVersions.record(cluster, versions);
            }
            String line = ComponentVersions.describe(scenario.topology().images().stack(), versions);
            Allure.description(scenario.description() + "\n\nRan on " + line + ".");
            Allure.addAttachment("stack and component versions", "text/plain", line);
        } catch (RuntimeException e) {
            Allure.addAttachment("environment not recorded", e.toString());
        }
    }

    /**
     * The report side of a run record: renders the timeline plot into the run's evidence folder (from the
     * merged history, so it shows the operations the checkers judged) and attaches it, metrics.json,
     * Patroni's view before and after, Gatling's report and the containers' logs.
     */
    private static void attachEvidence(ScenarioResult r) throws IOException {
        ScenarioResult.Evidence e = r.evidence();
        renderTimeline(r.scenario().name(), e).ifPresent(p -> AllureReport.attachPng("timeline", p));
        stageBreakdown(r);
        AllureReport.attachJson("metrics", Files.readString(e.metrics()));
        AllureReport.attachJson("patroni /cluster before", r.clusterBefore());
        AllureReport.attachJson("patroni /cluster after", r.clusterAfter());
        e.gatlingReport().ifPresent(dir -> AllureReport.attachHtmlZip("gatling report", dir));
        if (Files.isDirectory(e.logs())) {
            try (Stream<Path> files = Files.list(e.logs())) {
                for (Path log : files.sorted().toList()) {
                    AllureReport.attachText("log " + log.getFileName(), Files.readString(log));
                }
            }
        }
    }

    /** Where the outage's time went, stage by stage against the predicted windows, as a step with its table. */
    private static void stageBreakdown(ScenarioResult r) {
        r.checks().results().stream()
                .filter(c -> c.metrics().get("stages") instanceof java.util.Map<?, ?>)
                .findFirst()
                .ifPresent(stages -> Allure.step("failover stages: " + stages.verdict(), () -> {
                    AllureReport.attachHtml("failover stages", StageTable.html(stages));
                    AllureReport.attachText("failover stages (markdown)", StageTable.markdown(stages));
                }));
    }

    /** A plot that cannot be drawn costs the picture, not the verdict. */
    private static Optional<Path> renderTimeline(String title, ScenarioResult.Evidence e) {
        try {
            return Optional.of(TimelinePlot.titled(title).render(History.read(e.history()), e.timeline()));
        } catch (IOException | RuntimeException ex) {
            LOG.warn("timeline plot of {} failed: {}", e.runDirectory(), ex.toString());
            return Optional.empty();
        }
    }

    /** Every expectation as a step; a miss fails the test with its category as the message's tag. */
    public static void assertCertified(ScenarioResult result) {
        for (ExpectationResult e : result.expectations()) {
            AllureReport.expectationStep(e.describe(), e.passed() && !e.undetermined());
        }
        List<ExpectationResult> misses = result.failures().stream()
                .sorted(Comparator.comparing(ExpectationResult::category))
                .toList();
        if (!misses.isEmpty()) {
            // One line: Allure's category patterns match the first tag.
            throw new CertificationFailure(misses.stream()
                    .map(e -> e.category().message(e.describe()))
                    .collect(Collectors.joining(" | ")));
        }
    }

    /**
     * The verdict a self-certification case must get ({@code expected_outcome}): a corrected design must
     * be certified; a flawed one must not, for one of the expected categories, and never on an
     * undetermined metric. A flawed cluster the harness certifies fails here.
     */
    public static void assertExpectedVerdict(Scenario scenario, ScenarioResult result) {
        Scenario.ExpectedOutcome expected = scenario.expectedOutcome()
                .orElseThrow(() -> new IllegalArgumentException(scenario.source() + ": a self-certification case needs expected_outcome"));
        result.expectations().forEach(e -> Allure.step("certification says: " + e.describe()));
        Set<String> missedCategories = result.failures().stream()
                .map(e -> e.category().label()).collect(Collectors.toSet());
        if (expected.pass()) {
            if (!result.failures().isEmpty()) {
                throw new AssertionError("corrected design " + scenario.name() + " must be certified, but: "
                        + result.failures().stream().map(ExpectationResult::describe).collect(Collectors.joining(" | ")));
            }
            return;
        }
        if (result.passed()) {
            throw new AssertionError("flawed design " + scenario.name() + " must not be certified, but every expectation held");
        }
        if (missedCategories.stream().noneMatch(expected.categories()::contains)) {
            throw new AssertionError("flawed design " + scenario.name() + " must fail for " + expected.categories()
                    + ", but failed for " + missedCategories);
        }
        result.failures().stream().filter(ExpectationResult::undetermined).findAny().ifPresent(e -> {
            throw new AssertionError("the verdict rests on an undetermined metric: " + e.describe());
        });
    }

    /** The case's own verdict ({@link #assertCertified}), or for a self-certification case the expected one. */
    public static void judge(Scenario scenario, ScenarioResult result) {
        if (scenario.expectedOutcome().isPresent()) {
            assertExpectedVerdict(scenario, result);
        } else {
            assertCertified(result);
        }
    }

    @Override
    public void close() {
        clusters.close();
    }
}
