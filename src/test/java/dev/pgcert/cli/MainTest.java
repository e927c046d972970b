package dev.pgcert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.topology.StackOverride;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user sees it: exit status, standard output and standard error. Runs in the project directory. */
class MainTest {

    private static final String BAD = "src/test/resources/topologies/bad/";

    private record Outcome(int status, List<String> out, List<String> err) {}

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void aValidTopologyExitsZeroWithASummary() {
        Outcome o = StackOverride.with("trixie", () -> run("validate", "topologies/three-node-async.yaml"));

        assertThat(o.status()).isZero();
        assertThat(o.out()).containsExactly("topologies/three-node-async.yaml: ok (topology three-node-async on trixie (PostgreSQL 17, Patroni 4.0.7): "
                + "3 nodes, 1 etcd, asynchronous, pgbouncer transaction, 3 proxied links)");
        // The shipped designs state ttl 10; the default stack's Patroni (4.0.7) runs them with its minimum, 20.
        assertThat(o.err()).containsExactly("topologies/three-node-async.yaml:18:8: warning: patroni.ttl: Patroni 4.0.7"
                + " (stack trixie) raises ttl 10 to its minimum 20 at run time (patroni/config.py"
                + " _validate_and_adjust_timeouts): this cluster runs, and is certified, with ttl 20");
    }

    @Test
    void aDirectoryMeansEveryYamlFileInIt() throws java.io.IOException {
        Outcome o = run("validate", "topologies");
        long files;
        try (var list = java.nio.file.Files.list(java.nio.file.Path.of("topologies"))) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).count();
        }

        assertThat(o.status()).isZero();
        assertThat(o.out()).hasSize((int) files).allMatch(line -> line.contains(": ok (topology "));
    }

    @Test
    void anInvalidTopologyExitsOneWithEveryProblemOnStderr() {
        Outcome o = run("validate", BAD + "router.yaml");

        assertThat(o.status()).isEqualTo(1);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).containsExactly(
                BAD + "router.yaml:6:19: router.check_interval: 1 has no unit: write 1s (or 500ms, 2m, 1h)",
                BAD + "router.yaml:7:22: router.read_write.node: no node named 'node9' (nodes: node1, node2)",
                BAD + "router.yaml:8:22: router.read_only.check: expected one of /primary, /read-write, /leader, "
                        + "/standby-leader, /replica, /read-only, /synchronous, /sync, /asynchronous, /async, "
                        + "/read-only-sync, /read-only-synchronous, /quorum, /read-only-quorum, /health, "
                        + "got '/replcia'; did you mean '/replica'?");
    }

    @Test
    void oneBadFileAmongGoodOnesFailsTheRunAndIsCounted() {
        Outcome o = StackOverride.with("trixie", () -> run("validate", "topologies/cascade.yaml", BAD + "dcs-members.yaml"));

        assertThat(o.status()).isEqualTo(1);
        assertThat(o.out()).containsExactly("topologies/cascade.yaml: ok (topology cascade on trixie "
                + "(PostgreSQL 17, Patroni 4.0.7): 4 nodes, 1 etcd, asynchronous, 2 proxied links)");
        assertThat(o.err()).containsExactly(
                "topologies/cascade.yaml:7:8: warning: patroni.ttl: Patroni 4.0.7 (stack trixie) raises ttl 10 to its"
                        + " minimum 20 at run time (patroni/config.py _validate_and_adjust_timeouts): this cluster runs,"
                        + " and is certified, with ttl 20",
                BAD + "dcs-members.yaml:3:12: dcs.members: must be 1 or 3, got 2 (one etcd, or a three-member quorum "
                        + "that survives one loss)",
                "1 of 2 files are invalid");
    }

    @Test
    void warningsGoToStderrButTheFileIsValid() {
        Outcome o = StackOverride.with("trixie",
                () -> run("validate", "src/test/resources/topologies/good/all-nofailover.yaml"));

        assertThat(o.status()).isZero();
        assertThat(o.err()).singleElement().asString().contains(":4:3: warning: nodes: every node has nofailover");
        assertThat(o.out()).singleElement().asString().endsWith(": ok (topology no-leader on trixie (PostgreSQL 17, Patroni 4.0.7): 2 nodes, 1 etcd, asynchronous)");
    }

    @Test
    void syntaxErrorsAndMissingFilesAreInvalidInput() {
        Outcome syntax = run("validate", BAD + "syntax-error.yaml");
        assertThat(syntax.status()).isEqualTo(1);
        assertThat(syntax.err()).singleElement().asString().startsWith(BAD + "syntax-error.yaml:4:4: YAML syntax error: ");

        Outcome missing = run("validate", "nowhere.yaml");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).containsExactly("nowhere.yaml: no such file");
    }

    @Test
    void scenarioFilesAndUnknownFilesGetAClearMessage(@TempDir Path dir) throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.yaml"), "topology: nowhere.yaml\nphases: []\n");
        Path other = Files.writeString(dir.resolve("o.yaml"), "# hello\ncolour: blue\n");

        Outcome s = run("validate", scenario.toString());
        assertThat(s.status()).isEqualTo(1);
        assertThat(s.err()).containsExactly(
                scenario + ":1:1: name: required field is missing",
                scenario + ":1:11: topology: no topology 'nowhere.yaml' (looked for " + dir.resolve("nowhere.yaml") + ")");

        Outcome o = run("validate", other.toString());
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).containsExactly(other + ":2:1: cannot tell what kind of file this is: "
                + "a topology has 'nodes', a scenario has 'topology' and 'phases'");
    }

    @Test
    void everyShippedScenarioIsValid() {
        Outcome o = run("validate", "scenarios", "scenarios/self-cert");

        assertThat(o.err()).isEmpty();
        assertThat(o.status()).isZero();
        assertThat(o.out()).allMatch(line -> line.contains(": ok (scenario ") || line.startsWith("  "));
    }

    @Test
    void aScheduleShowsItsSeedAndPlanUnderItsSummary() {
        Outcome o = run("validate", "scenarios/random-nemesis.yaml");

        assertThat(o.status()).isZero();
        assertThat(o.out().get(0)).contains(": ok (scenario random-nemesis").contains("schedule nemesis seed 20261130)");
        assertThat(o.out().get(1)).isEqualTo("  schedule nemesis: seed 20261130, 10 cycles");
        assertThat(o.out()).hasSize(12);
    }

    @Test
    void aBadScenarioNamesFileLineAndField(@TempDir Path dir) throws IOException {
        Path scenario = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                topology: three-node-async
                phases:
                  - name: fault
                    inject:
                      - {kind: kil, target: primary}
                    durration: 10s
                expect:
                  failover_time.client: "< 30 sec"
                """);

        Outcome o = run("validate", scenario.toString());

        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).hasSize(4);
        assertThat(o.err().get(0)).isEqualTo(scenario + ":4:5: phases[0]: phase 'fault' does nothing: give it a duration,"
                + " inject, heal or until: healthy");
        assertThat(o.err().get(1)).isEqualTo(scenario + ":6:16: phases[0].inject[0].kind: unknown fault kind 'kil'; did you mean 'kill'?");
        assertThat(o.err().get(2)).startsWith(scenario + ":7:5: phases[0].durration: unknown key 'durration'; did you mean 'duration'?");
        assertThat(o.err().get(3)).startsWith(scenario + ":9:25: expect.failover_time.client: failover_time.client: unknown unit 'sec'");
    }

    @Test
    void aTopologyMissingItsNodesIsStillRecognizedAsATopology(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("t.yaml"), "name: x\npatroni: {ttl: 30}\n");

        Outcome o = run("validate", file.toString());

        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).containsExactly(file + ":1:1: nodes: required field is missing");
    }

    @Test
    void parseProblemsAndValidationProblemsAreReportedTogether() {
        Outcome o = run("validate", BAD + "duplicate-nodes.yaml");

        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).containsExactly(
                BAD + "duplicate-nodes.yaml:5:11: nodes[2].name: duplicate node name 'node1' (also nodes[0])",
                BAD + "duplicate-nodes.yaml:9:3: patroni.ttl: duplicate key 'ttl' (first at line 8)");
    }

    @Test
    void usageErrorsExitTwo() {
        Outcome none = run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).first().asString().startsWith("usage: pgcert validate");

        Outcome unknown = run("certify", "x");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).first().isEqualTo("pgcert: unknown command 'certify'");

        Outcome noFiles = run("validate");
        assertThat(noFiles.status()).isEqualTo(2);
        assertThat(noFiles.err()).first().isEqualTo("pgcert validate: no files given");
    }

    @Test
    void helpGoesToStdoutAndExitsZero() {
        Outcome help = run("--help");

        assertThat(help.status()).isZero();
        assertThat(help.out()).first().asString().startsWith("usage: pgcert validate");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void runValidatesEveryScenarioBeforeStartingAndExitsTwoOnBadInput(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                topology: three-node-async
                phases:
                  - {name: fault, inject: [{kind: kil, target: primary}], duration: 10s}
                """);

        Outcome o = run("run", "scenarios/primary-crash-async.yaml", bad.toString());

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).first().asString().startsWith(bad + ":4:35: phases[0].inject[0].kind: unknown fault kind 'kil'");
        assertThat(o.err()).last().isEqualTo("pgcert run: invalid input, nothing was started");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void runUsageErrorsExitTwo() {
        assertThat(run("run").status()).isEqualTo(2);
        assertThat(run("run").err()).first().isEqualTo("pgcert run: no scenario files given");
        assertThat(run("run", "--fast", "scenarios").err()).first().isEqualTo("pgcert run: unknown option '--fast'");
        assertThat(run("run", "scenarios", "--topology").err()).first().isEqualTo("pgcert run: --topology needs a value");
        assertThat(run("run", "nowhere.yaml").status()).isEqualTo(2);
        assertThat(run("run", "--tag", "no-such-tag", "scenarios").err())
                .containsExactly("pgcert run: no scenario tagged no-such-tag in [scenarios]");
    }

    @Test
    void aTopologyOverrideIsCheckedAgainstTheScenariosFaults() {
        // client-path-resets acts on the client link through Toxiproxy; disk-limited does not proxy it.
        Outcome o = run("run", "--topology", "topologies/disk-limited.yaml", "scenarios/client-path-resets.yaml");

        assertThat(o.status()).isEqualTo(2);
        // With the scenario's own line: the override is checked by the same loader as the scenario's topology.
        assertThat(o.err()).first().asString().matches("scenarios/client-path-resets\\.yaml:\\d+:\\d+: phases\\[\\d+\\]\\.inject\\[0\\].*");
    }

    @Test
    void bareTopologyNamesResolveInTheProjectNotNextToTheScenario(@TempDir Path dir) throws IOException {
        // The scenario lives outside the project; "three-node-async" is still the project's topology.
        Path scenario = Files.writeString(dir.resolve("elsewhere.yaml"),
                Files.readString(Path.of("scenarios/primary-crash-async.yaml")));

        Outcome o = run("validate", scenario.toString());

        assertThat(o.err()).isEmpty();
        assertThat(o.status()).isZero();
    }
}
