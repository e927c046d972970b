package dev.pgcert.junit;

import dev.pgcert.check.ExpectationResult;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.report.AllureReport;
import dev.pgcert.report.CertificationFailure;
import dev.pgcert.scenario.ClusterPool;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioResult;
import dev.pgcert.scenario.ScenarioRunner;
import io.qameta.allure.Allure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs scenarios for JUnit and turns each into an Allure test: a step per phase, a step per
 * expectation (measured value against its limit), the evidence attached, and a failure message
 * tagged with its category so Allure sorts it (data loss, slow failover, ...).
 */
public final class Certification implements AutoCloseable {
    private final ClusterPool clusters = new ClusterPool();
    private final Path runsDirectory;
    private final Set<String> clustersDescribed = new HashSet<>();

    public Certification(Path runsDirectory) {
        this.runsDirectory = runsDirectory;
    }

    public static Certification inTarget() {
        return new Certification(Path.of("target", "pgcert-runs"));
    }

    /** Runs the scenario and attaches its evidence; does not judge (see {@link #assertCertified}). */
    public ScenarioResult run(Scenario scenario) throws Exception {
        // The report lists scenarios by name, not by the JUnit method that ran them.
        Allure.getLifecycle().updateTestCase(test -> test.setName(scenario.name()));
        Allure.description(scenario.description());
        Allure.feature(scenario.topology().name());
        Allure.story(scenario.name());
        scenario.tags().forEach(t -> Allure.label("tag", t));
        ScenarioRunner runner = new ScenarioRunner(clusters, new AllureRunListener(scenario.name(), System.out), runsDirectory);
        ScenarioResult result = runner.run(scenario);
        describeClusterOnce(scenario);
        attachEvidence(result);
        return result;
    }

    private void describeClusterOnce(Scenario scenario) {
        PatroniCluster cluster = clusters.acquireExisting(scenario.topology());
        if (cluster != null && clustersDescribed.add(cluster.runId())) {
            try {
                ComponentVersions.record(cluster);
            } catch (RuntimeException e) {
                Allure.addAttachment("environment not recorded", e.toString());
            }
        }
    }

    private static void attachEvidence(ScenarioResult r) throws IOException {
        r.plot().ifPresent(p -> AllureReport.attachPng("timeline", p));
        AllureReport.attachJson("metrics", Files.readString(r.summary()));
        AllureReport.attachJson("patroni /cluster before", r.clusterBefore());
        AllureReport.attachJson("patroni /cluster after", r.clusterAfter());
        r.gatlingReport().ifPresent(dir -> AllureReport.attachHtmlZip("gatling report", dir));
        Path logs = r.runDirectory().resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path log : files.sorted().toList()) {
                    AllureReport.attachText("log " + log.getFileName(), Files.readString(log));
                }
            }
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
                    .map(e -> "[" + e.category().label() + "] " + e.describe())
                    .collect(Collectors.joining(" | ")));
        }
    }

    @Override
    public void close() {
        clusters.close();
    }
}
