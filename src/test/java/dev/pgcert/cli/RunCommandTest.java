package dev.pgcert.cli;

import dev.pgcert.report.CertificationFailure;
import dev.pgcert.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgcert run}'s exit status from the verdicts, without Docker: the session that runs clusters is
 * replaced by one that gives each scenario a chosen outcome. (A real run: see the README's run command.)
 */
class RunCommandTest {

    @TempDir
    Path results;

    private final List<String> ran = new ArrayList<>();
    private boolean closed;

    /** Outcome per scenario name: "pass", "fail" (a verdict) or "crash" (a harness error). */
    private int run(Map<String, String> outcomes, String... args) {
        RunCommand.Session session = new RunCommand.Session() {
            @Override
            public void certify(Scenario scenario, Consumer<Path> evidence) {
                ran.add(scenario.name());
                evidence.accept(Path.of("target/pgcert-runs", scenario.name() + "-now"));
                switch (outcomes.getOrDefault(scenario.name(), "pass")) {
                    case "fail" -> throw new CertificationFailure("[slow failover] failover_time.client = 40 s (limit < 30s): failed");
                    case "crash" -> throw new IllegalStateException("container node1 did not start");
                    default -> { }
                }
            }

            @Override
            public void close() {
                closed = true;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                results, console -> session).run(List.of(args));
        lastOut = out.toString(StandardCharsets.UTF_8);
        return status;
    }

    private String lastOut;

    @Test
    void everyVerdictPassedExitsZero() {
        assertThat(run(Map.of(), "scenarios/primary-crash-async.yaml", "scenarios/planned-switchover.yaml")).isZero();
        assertThat(ran).containsExactly("primary-crash-async", "planned-switchover");
        assertThat(closed).isTrue();
        assertThat(lastOut).contains("primary-crash-async: passed (evidence target/pgcert-runs/primary-crash-async-now)")
                .contains("Allure results: " + results);
    }

    @Test
    void aFailedVerdictExitsOneAndTheOthersStillRun() {
        assertThat(run(Map.of("primary-crash-async", "fail"),
                "scenarios/primary-crash-async.yaml", "scenarios/planned-switchover.yaml")).isEqualTo(1);
        assertThat(ran).containsExactly("primary-crash-async", "planned-switchover");
        assertThat(lastOut).contains("primary-crash-async: FAILED [slow failover] failover_time.client");
    }

    @Test
    void aHarnessErrorExitsTwoEvenNextToAFailedVerdict() {
        assertThat(run(Map.of("primary-crash-async", "fail", "planned-switchover", "crash"),
                "scenarios/primary-crash-async.yaml", "scenarios/planned-switchover.yaml")).isEqualTo(2);
        assertThat(lastOut).contains("planned-switchover: harness error, no verdict: java.lang.IllegalStateException: container node1 did not start");
    }

    @Test
    void aDirectoryWithATagRunsOnlyThoseScenarios() {
        assertThat(run(Map.of(), "--tag", "smoke", "scenarios")).isZero();
        assertThat(ran).containsExactly("backup-restore-small", "planned-switchover", "primary-crash-async", "primary-crash-sync");
    }

    @Test
    void aScenarioIsFiledUnderCertificationOnly() {
        List<io.qameta.allure.model.Label> labels = dev.pgcert.junit.Certification.suiteLabels(
                dev.pgcert.scenario.ScenarioLoader.load(Path.of("scenarios/primary-crash-async.yaml"), dev.pgcert.topology.ProjectLayout.topologies()));
        assertThat(labels).extracting(l -> l.getName() + "=" + l.getValue())
                .containsExactly("parentSuite=Certification", "suite=smoke", "subSuite=three-node-async");
        List<io.qameta.allure.model.Label> selfCert = dev.pgcert.junit.Certification.suiteLabels(
                dev.pgcert.scenario.ScenarioLoader.load(Path.of("scenarios/self-cert/lossy-async-crash.yaml"), dev.pgcert.topology.ProjectLayout.topologies()));
        assertThat(selfCert).extracting(l -> l.getName() + "=" + l.getValue())
                .startsWith("parentSuite=Self-certification", "suite=flawed designs (must fail)");
    }

    @Test
    void theResultsDirectoryGetsTheReportCategories() {
        run(Map.of(), "scenarios/primary-crash-async.yaml");
        assertThat(results.resolve("categories.json")).isRegularFile();
    }
}
