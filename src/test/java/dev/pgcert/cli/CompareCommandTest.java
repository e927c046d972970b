package dev.pgcert.cli;

import dev.pgcert.check.CheckResult;
import dev.pgcert.check.RunSummary;
import dev.pgcert.check.Verdict;
import dev.pgcert.report.CertificationFailure;
import dev.pgcert.scenario.Scenario;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgcert compare} without Docker: the session that runs clusters is replaced by one that writes
 * each run's metrics.json with chosen figures, so the wiring (sides, overrides, interleaving, judgement,
 * summary, exit status) is tested on figures that could make each of them fail.
 */
class CompareCommandTest {

    @TempDir
    Path temp;

    private AllureLifecycle previous;

    /** Allure's lifecycle is one per JVM and fixed its results folder when first used: this test's goes to its own. */
    @BeforeEach
    void ownAllureResults() {
        previous = Allure.getLifecycle();
        Allure.setLifecycle(new AllureLifecycle(new FileSystemResultsWriter(temp.resolve("allure"))));
    }

    @AfterEach
    void restoreAllure() {
        Allure.setLifecycle(previous);
    }

    /** What each run ran on, in order: scenario, stack, router check interval, ttl. */
    private final List<String> ran = new ArrayList<>();
    private boolean sessionCreated;
    private String lastOut;
    private String lastErr;

    /** One run's outcome and figures, given per run in order of the calls. */
    private record Figures(String outcome, double dcs, double client, long lost) {
        static Figures pass(double dcs) {
            return new Figures("pass", dcs, dcs + 1, 0);
        }
    }

    private int compare(Function<Scenario, Figures> figures, String... args) {
        int[] count = {0};
        RunCommand.Session session = new RunCommand.Session() {
            @Override
            public void certify(Scenario scenario, Consumer<Path> evidence) {
                ran.add(scenario.name() + " " + scenario.topology().images().stack().name()
                        + " check " + scenario.topology().router().checkInterval().toMillis() + "ms"
                        + " ttl " + scenario.topology().patroni().ttl());
                // as Certification does: the test named after the scenario (compare's name must win)
                Allure.getLifecycle().updateTestCase(t -> t.setName(scenario.name()));
                Figures f = figures.apply(scenario);
                if (f.outcome().equals("crash")) {
                    throw new IllegalStateException("container node1 did not start");
                }
                Path dir = temp.resolve("runs").resolve(scenario.name() + "-" + (++count[0]));
                evidence.accept(dir);
                Map<String, Object> failover = new LinkedHashMap<>();
                failover.put("client", f.client());
                failover.put("dcs", f.dcs());
                failover.put("probe", f.client() - 0.5);
                failover.put("stages", Map.of("leader_key_taken", f.dcs()));
                try {
                    new RunSummary(scenario.name(), scenario.topology().name(), f.outcome().equals("pass"), Verdict.VALID,
                            List.of(), List.of(new CheckResult("failover_time", Verdict.VALID, failover, ""),
                                    new CheckResult("data_loss", Verdict.VALID, Map.of("lost", f.lost()), "")))
                            .write(dir.resolve(RunSummary.FILE_NAME));
                    Files.write(dir.resolve("timeline.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (f.outcome().equals("fail")) {
                    throw new CertificationFailure("[slow failover] failover_time.client = 40 s (limit < 30s): failed");
                }
            }

            @Override
            public void close() {
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new CompareCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), temp.resolve("allure"), temp.resolve("compare"),
                console -> {
                    sessionCreated = true;
                    return session;
                }, () -> LocalDateTime.of(2026, 11, 29, 23, 0, 0)).run(List.of(args));
        lastOut = out.toString(StandardCharsets.UTF_8);
        lastErr = err.toString(StandardCharsets.UTF_8);
        return status;
    }

    /** The candidate's runs by its router check interval (2 s), the baseline's otherwise. */
    private static Function<Scenario, Figures> bySide(List<Figures> baseline, List<Figures> candidate) {
        Iterator<Figures> b = baseline.iterator();
        Iterator<Figures> c = candidate.iterator();
        return s -> s.topology().router().checkInterval().equals(Duration.ofSeconds(2)) ? c.next() : b.next();
    }

    private static final String[] CHECK_2S = {"--baseline", "three-node-async", "--candidate", "three-node-async",
            "--candidate-set", "router.check_interval=2s"};

    private static String[] args(String[] sides, String... rest) {
        return Stream.concat(Stream.of(sides), Stream.of(rest)).toArray(String[]::new);
    }

    @Test
    void runsInterleaveTheSidesWithTheOverrideAppliedToTheCandidateOnly() {
        int status = compare(bySide(List.of(Figures.pass(9), Figures.pass(10)), List.of(Figures.pass(9.5), Figures.pass(10.5))),
                args(CHECK_2S, "--runs", "2", "scenarios/planned-switchover.yaml"));

        assertThat(status).as(lastErr).isZero();
        assertThat(ran).extracting(r -> r.replaceAll(".* check ", "").replaceAll(" ttl.*", ""))
                .containsExactly("1000ms", "2000ms", "1000ms", "2000ms");
        assertThat(lastOut).contains("| planned-switchover | failover_time.dcs | 9.00 s / 9.00 s / 10.00 s | 9.50 s / 9.50 s / 10.50 s | +0.50 s | same |")
                .contains("- candidate: topology " + topologyFile("three-node-async") + ", with router.check_interval=2s")
                .contains("**No regression**");
    }

    private static String topologyFile(String name) {
        return dev.pgcert.topology.ProjectLayout.topologies().resolve(name + ".yaml").toString();
    }

    @Test
    void aMetricWorseBeyondTheSpreadExitsOneAndNamesIt() {
        int status = compare(bySide(List.of(Figures.pass(9), Figures.pass(9.2), Figures.pass(9.4)),
                        List.of(Figures.pass(12), Figures.pass(12.1), Figures.pass(12.3))),
                args(CHECK_2S, "scenarios/planned-switchover.yaml"));

        assertThat(status).isEqualTo(1);
        assertThat(ran).hasSize(6);
        assertThat(lastOut).contains("| planned-switchover | failover_time.dcs | 9.00 s / 9.20 s / 9.40 s | 12.00 s / 12.10 s / 12.30 s | +2.90 s | **worse** |")
                .contains("| planned-switchover | failover_time.stages.leader_key_taken |")
                .contains("| planned-switchover | data_loss.lost | 0 / 0 / 0 | 0 / 0 / 0 | 0 | same |")
                .contains("**Regression**:")
                .contains("- planned-switchover: failover_time.probe worse: 9.50 s / 9.70 s / 9.90 s -> 12.50 s / 12.60 s / 12.80 s (median +2.90 s); failover_time.client worse");
    }

    @Test
    void aCandidateBetterEverywhereExitsZero() {
        int status = compare(bySide(List.of(Figures.pass(12), Figures.pass(12.1)), List.of(Figures.pass(9), Figures.pass(9.2))),
                args(CHECK_2S, "--runs", "2", "scenarios/planned-switchover.yaml"));
        assertThat(status).isZero();
        assertThat(lastOut).contains("| -3.00 s | better |");
    }

    @Test
    void aFailedCandidateVerdictExitsOneEvenWithSameFigures() {
        int status = compare(bySide(List.of(Figures.pass(9), Figures.pass(9)),
                        List.of(Figures.pass(9), new Figures("fail", 9, 10, 0))),
                args(CHECK_2S, "--runs", "2", "scenarios/planned-switchover.yaml"));
        assertThat(status).isEqualTo(1);
        assertThat(lastOut).contains("| planned-switchover | verdicts | pass, pass | pass, **FAIL** | | **REGRESSION** |")
                .contains("verdict went from pass to fail: [slow failover]");
    }

    @Test
    void aFailedBaselineVerdictAloneIsNoRegression() {
        int status = compare(bySide(List.of(new Figures("fail", 9, 10, 0), Figures.pass(9)),
                        List.of(Figures.pass(9), Figures.pass(9))),
                args(CHECK_2S, "--runs", "2", "scenarios/planned-switchover.yaml"));
        assertThat(status).isZero();
        assertThat(lastOut).contains("| **FAIL**, pass | pass, pass |");
    }

    @Test
    void aHarnessErrorExitsTwo() {
        int status = compare(bySide(List.of(Figures.pass(9), Figures.pass(9)),
                        List.of(new Figures("crash", 0, 0, 0), Figures.pass(9))),
                args(CHECK_2S, "--runs", "2", "scenarios/planned-switchover.yaml"));
        assertThat(status).isEqualTo(2);
        assertThat(lastOut).contains("harness error, no verdict: java.lang.IllegalStateException: container node1 did not start")
                .contains("**Incomplete**");
    }

    @Test
    void stacksAsSidesRunEachScenarioOnItsOwnTopologyOnThatStack() {
        int status = compare(s -> Figures.pass(9), "--baseline", "bookworm", "--candidate", "trixie", "--runs", "2",
                "scenarios/planned-switchover.yaml", "scenarios/primary-crash-async.yaml");
        assertThat(status).as(lastErr).isZero();
        assertThat(ran).containsExactly(
                "planned-switchover bookworm check 1000ms ttl 10", "planned-switchover trixie check 1000ms ttl 20",
                "planned-switchover bookworm check 1000ms ttl 10", "planned-switchover trixie check 1000ms ttl 20",
                "primary-crash-async bookworm check 1000ms ttl 10", "primary-crash-async trixie check 1000ms ttl 20",
                "primary-crash-async bookworm check 1000ms ttl 10", "primary-crash-async trixie check 1000ms ttl 20");
        assertThat(lastOut).contains("- baseline: stack bookworm (Debian 12");
    }

    @Test
    void anOverrideOnAStackSideChangesEveryScenariosTopology() {
        int status = compare(s -> Figures.pass(9), "--baseline", "bookworm", "--candidate", "bookworm",
                "--candidate-set", "patroni.ttl=30", "--runs", "2", "scenarios/planned-switchover.yaml");
        assertThat(status).as(lastErr).isZero();
        assertThat(ran).containsExactly(
                "planned-switchover bookworm check 1000ms ttl 10", "planned-switchover bookworm check 1000ms ttl 30",
                "planned-switchover bookworm check 1000ms ttl 10", "planned-switchover bookworm check 1000ms ttl 30");
    }

    @Test
    void anUnknownOverrideKeyIsRefusedBeforeAnythingStarts() {
        int status = compare(s -> Figures.pass(9), "--baseline", "three-node-async", "--candidate", "three-node-async",
                "--candidate-set", "patroni.tll=20", "scenarios/planned-switchover.yaml");
        assertThat(status).isEqualTo(2);
        assertThat(sessionCreated).isFalse();
        assertThat(lastErr).contains("--candidate-set patroni.tll=20: patroni.tll: unknown key 'tll'; did you mean 'ttl'?")
                .contains("invalid input, nothing was started");
    }

    @Test
    void aWrongOverrideValueIsRefusedWithTheTopologysOwnRule() {
        int status = compare(s -> Figures.pass(9), "--baseline", "bookworm", "--candidate", "bookworm",
                "--candidate-set", "router.check_interval=2", "scenarios/planned-switchover.yaml");
        assertThat(status).isEqualTo(2);
        assertThat(sessionCreated).isFalse();
        assertThat(lastErr).contains("on the candidate (bookworm):")
                .contains("--candidate-set router.check_interval=2: router.check_interval: ");
    }

    @Test
    void anOverrideThroughAListIsRefused() {
        int status = compare(s -> Figures.pass(9), "--baseline", "three-node-async", "--candidate", "three-node-async",
                "--candidate-set", "nodes.node1=x", "scenarios/planned-switchover.yaml");
        assertThat(status).isEqualTo(2);
        assertThat(lastErr).contains("--candidate-set nodes.node1=x: nodes: is a list in the file; an override sets keys of mappings only");
    }

    @Test
    void wrongUsageExitsTwo() {
        assertThat(compare(s -> Figures.pass(9), "--baseline", "bookworm", "scenarios/planned-switchover.yaml")).isEqualTo(2);
        assertThat(lastErr).contains("--candidate is required");
        assertThat(compare(s -> Figures.pass(9), "--baseline", "bookworm", "--candidate", "trixie", "--runs", "1")).isEqualTo(2);
        assertThat(lastErr).contains("--runs must be a whole number of at least 2");
        assertThat(compare(s -> Figures.pass(9), "--baseline", "bullseye", "--candidate", "trixie")).isEqualTo(2);
        assertThat(lastErr).contains("--baseline bullseye: neither a stack (trixie, bookworm) nor a topology");
        assertThat(compare(s -> Figures.pass(9), "--baseline", "bookworm", "--candidate", "trixie", "--candidate-set", "ttl")).isEqualTo(2);
        assertThat(lastErr).contains("--candidate-set ttl: expected KEY=VALUE");
        assertThat(sessionCreated).isFalse();
    }

    @Test
    void withoutScenarioArgumentsTheSmokeScenariosRun() {
        assertThat(compare(s -> Figures.pass(9), "--baseline", "bookworm", "--candidate", "trixie", "--runs", "2")).isZero();
        assertThat(ran.stream().map(r -> r.substring(0, r.indexOf(' '))).distinct())
                .containsExactly("backup-restore-small", "planned-switchover", "primary-crash-async", "primary-crash-sync");
    }

    @Test
    void theSummaryIsWrittenAndEachRunIsItsOwnAllureTestWithItsSide() throws IOException {
        compare(s -> Figures.pass(9), args(CHECK_2S, "--runs", "2", "scenarios/planned-switchover.yaml"));
        Path summary = temp.resolve("compare/20261129-230000/summary.md");
        assertThat(summary).isRegularFile();
        assertThat(Files.readString(summary)).startsWith("## pgcert compare")
                .contains("| scenario | metric | baseline min / median / max | candidate min / median / max | difference | judgement |");
        List<String> results;
        try (Stream<Path> files = Files.list(temp.resolve("allure"))) {
            results = files.filter(p -> p.toString().endsWith("-result.json")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
        // 4 runs, a comparison test for the scenario, and the "comparison" test with the summary
        assertThat(results).hasSize(6);
        List<String> runs = results.stream().filter(r -> r.contains("\"name\":\"side\"") || r.contains("\"name\" : \"side\"")).toList();
        assertThat(runs).hasSize(4);
        assertThat(runs).anyMatch(r -> r.matches("(?s).*\"name\" ?: ?\"planned-switchover \\[candidate 2/2\\]\".*"))
                .allMatch(r -> r.matches("(?s).*\"value\" ?: ?\"Comparison\".*"));
        assertThat(runs.stream().filter(r -> r.matches("(?s).*\"value\" ?: ?\"candidate\".*"))).hasSize(2);
        assertThat(runs.stream().map(r -> r.replaceAll("(?s).*\"historyId\" ?: ?\"([0-9a-f]+)\".*", "$1")).distinct()).hasSize(4);
        assertThat(results).anyMatch(r -> r.contains("\"name\":\"comparison\"") || r.contains("\"name\" : \"comparison\""));
        try (Stream<Path> files = Files.list(temp.resolve("allure"))) {
            List<Path> pages = files.filter(p -> p.toString().endsWith("-attachment.html")).toList();
            assertThat(pages).hasSize(1);
            assertThat(Files.readString(pages.get(0))).contains("<h3>baseline</h3><img", "<h3>candidate</h3><img",
                    "data:image/png;base64,iVBORw==");
        }
    }
}
