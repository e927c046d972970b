package dev.pgcert.scenario;

import dev.pgcert.fault.FaultParams;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The scenario is read once into a typed value: every field's mistake (load and inject included)
 * comes out as {@code file:line:col: field: message}, all at once; limits that can never be measured
 * are refused with their line; and every duration field speaks the same grammar.
 */
class ScenarioModelTest {
    private static final Path TOPOLOGIES = Path.of("topologies");
    private static final String FILE = "s.yaml";

    /** A valid scenario with {@code load} lines and {@code inject} items spliced in. */
    private static String scenario(String loadLines, String injectItem, String expectLines) {
        return "name: s\n"
                + "topology: three-node-async\n"
                + "load:\n"
                + "  writes: {rate: 10}\n"
                + loadLines
                + "phases:\n"
                + "  - name: warm-up\n"
                + "    duration: 1s\n"
                + "  - name: fault\n"
                + "    inject:\n"
                + "      - " + injectItem + "\n"
                + "    duration: 1s\n"
                + "  - {name: settle, until: healthy}\n"
                + "expect:\n"
                + "  split_brain: none\n"
                + expectLines;
    }

    private static Scenario read(String text) {
        return ScenarioLoader.read(YamlDocument.parse(text, FILE), Path.of(FILE), TOPOLOGIES);
    }

    private static List<String> errors(String text) {
        try {
            read(text);
        } catch (ValidationException e) {
            return e.errors().stream().map(Problem::format).toList();
        }
        return fail("expected the scenario to be refused:\n" + text);
    }

    /** {@code s.yaml:L:C: } of the first occurrence of {@code token} on a line that contains {@code lineMarker}. */
    private static String at(String text, String lineMarker, String token) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(lineMarker)) {
                return FILE + ":" + (i + 1) + ":" + (lines[i].indexOf(token) + 1) + ": ";
            }
        }
        throw new AssertionError("no line with " + lineMarker);
    }

    static Stream<Arguments> loadFields() {
        return Stream.of(
                Arguments.of("load.duration", "  duration: soon\n", "soon"),
                Arguments.of("load.first_key", "  first_key: x1\n", "x1"),
                Arguments.of("load.reads.rate", "  reads: {rate: fast}\n", "fast"),
                Arguments.of("load.reads.endpoint", "  reads: {rate: 1, endpoint: rx}\n", "rx"),
                Arguments.of("load.reads.duration", "  reads: {rate: 1, duration: 30}\n", "30}"),
                Arguments.of("load.reads.ramp.from", "  reads: {ramp: {from: lots, to: 5}}\n", "lots"),
                Arguments.of("load.transfers.users", "  transfers: {users: 0}\n", "0}"),
                Arguments.of("load.bank.max_amount", "  bank: {max_amount: 0}\n", "0}"),
                Arguments.of("load.pool.rw_size", "  pool: {rw_size: 0}\n", "0}"),
                Arguments.of("load.pool.ro_size", "  pool: {ro_size: many}\n", "many"),
                Arguments.of("load.pool.connection_timeout", "  pool: {connection_timeout: 100ms}\n", "100ms"),
                Arguments.of("load.pool.validation_timeout", "  pool: {validation_timeout: 2s}\n", "2s"),
                Arguments.of("load.pool.keepalive_time", "  pool: {keepalive_time: 5s}\n", "5s"),
                Arguments.of("load.pool.max_lifetime", "  pool: {max_lifetime: 10s}\n", "10s"),
                Arguments.of("load.pool.connect_timeout", "  pool: {connect_timeout: 1500ms}\n", "1500ms"),
                Arguments.of("load.pool.socket_timeout", "  pool: {socket_timeout: 3}\n", "3}"),
                Arguments.of("load.pool.login_timeout", "  pool: {login_timeout: later}\n", "later"),
                Arguments.of("load.pool.tcp_keep_alive", "  pool: {tcp_keep_alive: yes}\n", "yes"),
                Arguments.of("load.pool.target_server_type", "  pool: {target_server_type: master}\n", "master"),
                Arguments.of("load.pool.target_server_type.ro", "  pool: {target_server_type: {ro: replica}}\n", "replica"),
                Arguments.of("load.pool.max_queued", "  pool: {max_queued: -1}\n", "-1"),
                Arguments.of("load.pool.maxpoolsize", "  pool: {maxpoolsize: 3}\n", "maxpoolsize"),
                Arguments.of("load.probe.rate", "  probe: {rate: 0}\n", "0}"),
                Arguments.of("load.probe.connect_timeout", "  probe: {connect_timeout: 500ms}\n", "500ms"),
                Arguments.of("load.probe.socket_timeout", "  probe: {socket_timeout: 1}\n", "1}"),
                Arguments.of("load.probe.read_write", "  probe: {read_write: maybe}\n", "maybe"),
                Arguments.of("load.probe.read_only", "  probe: {read_only: 1}\n", "1}"),
                Arguments.of("load.prob", "  prob: off\n", "prob"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loadFields")
    void everyLoadFieldErrorCarriesFileLineAndColumn(String field, String line, String token) {
        String text = scenario(line, "{kind: kill, target: primary}", "");
        assertThat(errors(text)).hasSize(1).first().asString().startsWith(at(text, line.strip(), token) + field + ": ");
    }

    static Stream<Arguments> injectFields() {
        return Stream.of(
                Arguments.of("kind", "{kind: meteor}", "meteor"),
                Arguments.of("kind", "{target: primary}", "{target"),
                Arguments.of("target", "{kind: kill, target: 'etcd:0'}", "'etcd:0'"),
                Arguments.of("grace", "{kind: stop, grace: 30}", "30}"),
                Arguments.of("grace", "{kind: restart, grace: soon}", "soon"),
                Arguments.of("from", "{kind: partition, from: mars}", "mars"),
                Arguments.of("direction", "{kind: partition, direction: sideways}", "sideways"),
                Arguments.of("side", "{kind: split, side: middle}", "middle"),
                Arguments.of("volume", "{kind: disk-full, volume: tmp}", "tmp"),
                Arguments.of("fill", "{kind: disk-full, fill: 150%}", "150%"),
                Arguments.of("link", "{kind: latency, link: wan}", "wan"),
                Arguments.of("latency", "{kind: latency, link: client, latency: 200}", "200}"),
                Arguments.of("jitter", "{kind: latency, link: client, jitter: 1 sec}", "1 sec"),
                Arguments.of("rate", "{kind: bandwidth, link: client, rate: fast}", "fast"),
                Arguments.of("timeout", "{kind: link-timeout, link: client, timeout: 5}", "5}"),
                Arguments.of("stream", "{kind: reset-peer, link: client, stream: sideways}", "sideways"),
                Arguments.of("grace", "{kind: kill, grace: 5s}", "grace"),
                Arguments.of("targt", "{kind: freeze, targt: primary}", "targt"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("injectFields")
    void everyInjectFieldErrorCarriesFileLineAndColumn(String field, String item, String token) {
        String text = scenario("", item, "");
        String path = "phases[1].inject[0]" + (item.contains("kind") || field.equals("kind") ? "." + field : "." + field);
        assertThat(errors(text)).hasSize(1).first().asString().startsWith(at(text, item, token) + path + ": ");
    }

    @Test
    void anUnknownParameterSuggestsTheNearestOne() {
        String text = scenario("", "{kind: partition, form: dcs}", "");
        assertThat(errors(text)).containsExactly(at(text, "form:", "form")
                + "phases[1].inject[0].form: unknown parameter 'form'; did you mean 'from'?");
    }

    @Test
    void everyMistakeComesOutAtOnce() {
        String text = scenario("  pool: {socket_timeout: 2.5s}\n", "{kind: stop, grace: 90}", "  failover_time.clinet: \"< 30s\"\n");
        assertThat(errors(text)).containsExactly(
                at(text, "socket_timeout", "2.5s") + "load.pool.socket_timeout: PgJDBC counts whole seconds: write 3s or 0 (none), not 2500ms",
                at(text, "grace", "90") + "phases[1].inject[0].grace: 90 has no unit: write 90s (or 500ms, 2m, 1h)",
                at(text, "clinet", "failover") + "expect.failover_time.clinet: unknown metric 'failover_time.clinet'"
                        + errors(text).get(2).substring(errors(text).get(2).indexOf(" (failover_time has")));
    }

    @Test
    void aFaultIsBuiltOnceWithItsFinalId() {
        Scenario s = read(scenario("", "{kind: kill, target: primary}", ""));
        assertThat(s.faults()).extracting(f -> f.id()).containsExactly("fault-kill-1");
        assertThat(s.phases().get(1).inject()).containsExactlyElementsOf(s.faults());
    }

    // --- limits that can never be measured ---

    static Stream<Arguments> unmeasurable() {
        return Stream.of(
                Arguments.of("failover_time.by_fault.fault-kill-9.client: \"< 30s\"",
                        "no fault 'fault-kill-9' in this scenario; did you mean 'fault-kill-1'? (its faults: fault-kill-1;"),
                Arguments.of("replica_lag.by_replica.pg2.max_bytes: \"< 16MB\"",
                        "topology three-node-async has no node 'pg2' (its nodes: node1, node2, node3)"),
                Arguments.of("replica_lag.by_hop.node1->node7.max_bytes: \"< 16MB\"",
                        "topology three-node-async has no node 'node7'; did you mean 'node1'?"),
                Arguments.of("bank.wrong_reads: \"== 0\"",
                        "bank.wrong_reads is never measured: the load has no transfers or balances"),
                Arguments.of("read_offload.share: \">= 0.6\"",
                        "read_offload.share is never measured: the load has no reads (load.reads is off)"),
                Arguments.of("backup.rpo: \"< 5m\"",
                        "backup.rpo is never measured: topology three-node-async has no backup: section"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unmeasurable")
    void aLimitThatCanNeverBeMeasuredIsRefusedWithItsLine(String expectLine, String message) {
        String text = scenario("  reads: off\n", "{kind: kill, target: primary}", "  " + expectLine + "\n");
        String metric = expectLine.substring(0, expectLine.indexOf(':'));
        assertThat(errors(text)).hasSize(1).first().asString()
                .startsWith(at(text, metric, metric) + "expect." + metric + ": " + message);
    }

    @Test
    void aFaultWithAMistakeStillDefinesItsIdSoItsLimitIsNotASecondError() {
        String text = scenario("", "{kind: stop, grace: 30}", "  failover_time.by_fault.fault-stop-1.client: \"< 30s\"\n");
        assertThat(errors(text)).containsExactly(at(text, "grace", "30}") + "phases[1].inject[0].grace: 30 has no unit: write 30s (or 500ms, 2m, 1h)");
    }

    @Test
    void measurableLimitsOfTheSameShapesPass() {
        Scenario s = read(scenario("  transfers: {rate: 1}\n", "{kind: kill, target: primary}", """
                  failover_time.by_fault.fault-kill-1.client: "< 30s"
                  replica_lag.by_replica.node2.max_bytes: "< 16MB"
                  replica_lag.by_hop.node1->node2.max_bytes: "< 16MB"
                  bank.wrong_reads: "== 0"
                  read_offload.share: ">= 0.6"
                """));
        assertThat(s.expectations()).hasSize(6);
    }

    // --- load.duration: derived or refused, never overwritten ---

    @Test
    void loadDurationIsDerivedFromThePhasesWhenNotWritten() {
        Scenario s = read(scenario("", "{kind: kill, target: primary}", ""));
        // three-node-async: startup_timeout 2m: first write + 2s of phases + 2 settles (until: healthy, the final one) + 1m spare
        Duration startup = s.topology().startupTimeout();
        assertThat(s.load().duration()).contains(startup.multipliedBy(3).plusSeconds(2).plus(LoadBudget.SPARE));
    }

    @Test
    void aWrittenLoadDurationIsKeptWhenLongEnough() {
        Scenario s = read(scenario("  duration: 2h\n", "{kind: kill, target: primary}", ""));
        assertThat(s.load().duration()).contains(Duration.ofHours(2));
    }

    @Test
    void aWrittenLoadDurationShorterThanThePhasesNeedIsRefusedWithItsLine() {
        String text = scenario("  duration: 90s\n", "{kind: kill, target: primary}", "");
        assertThat(errors(text)).hasSize(1).first().asString()
                .startsWith(at(text, "duration: 90s", "90s") + "load.duration: 90s is shorter than this scenario may need the load: 362s")
                .contains("leave load.duration out and it is derived");
    }

    @Test
    void theBuilderDerivesAndRefusesTheSameWay() {
        var topology = dev.pgcert.topology.TopologyLoader.load(TOPOLOGIES.resolve("three-node-async.yaml"));
        assertThatThrownBy(() -> Scenario.named("x").on(topology)
                .withLoad(dev.pgcert.load.LoadSpec.builder().duration(Duration.ofSeconds(30)).build())
                .warmUp(Duration.ofSeconds(5)).build())
                .hasMessageStartingWith("load.duration: 30s is shorter than this scenario may need the load");
        assertThatThrownBy(() -> Scenario.named("x").on(topology).warmUp(Duration.ofSeconds(5))
                .expect("failover_time.by_fault.nope.client", "< 30s").build())
                .hasMessageContaining("no fault 'nope': this scenario injects no fault");
    }

    // --- one grammar for every duration ---

    /** A scenario on an inline topology, with {@code value} written into one duration field. */
    private static String withDuration(String field, String value) {
        String v = "  ".repeat(0) + value;
        return "name: s\n"
                + "topology:\n"
                + "  name: t\n"
                + "  nodes: [{name: node1}, {name: node2}]\n"
                + "  startup_timeout: " + (field.equals("topology.startup_timeout") ? v : "5s") + "\n"
                + "  router: {check_interval: " + (field.equals("topology.router.check_interval") ? v : "1s") + "}\n"
                + "load:\n"
                + (field.equals("load.duration") ? "  duration: " + v + "\n" : "")
                + "  reads: {rate: 5" + (field.equals("load.reads.duration") ? ", duration: " + v : "") + "}\n"
                + "  pool: {validation_timeout: 250ms, connection_timeout: "
                + (field.equals("load.pool.connection_timeout") ? v : "1s") + "}\n"
                + "phases:\n"
                + "  - name: p\n"
                + "    duration: " + (field.equals("phases[0].duration") ? v : "1s") + "\n"
                + "    inject: [{kind: stop, grace: " + (field.equals("phases[0].inject[0].grace") ? v : "1s") + "}]\n";
    }

    static Stream<Arguments> durationFields() {
        Function<Scenario, Duration> grace = s -> fail("read by FaultParams below");
        return Stream.of(
                Arguments.of("phases[0].duration", (Function<Scenario, Duration>) s -> s.phases().get(0).duration()),
                Arguments.of("load.duration", (Function<Scenario, Duration>) s -> s.load().duration().orElseThrow()),
                Arguments.of("load.reads.duration", (Function<Scenario, Duration>) s -> s.load().reads().duration()),
                Arguments.of("load.pool.connection_timeout", (Function<Scenario, Duration>) s -> s.load().pool().connectionTimeout()),
                Arguments.of("phases[0].inject[0].grace", grace),
                Arguments.of("topology.startup_timeout", (Function<Scenario, Duration>) s -> s.topology().startupTimeout()),
                Arguments.of("topology.router.check_interval", (Function<Scenario, Duration>) s -> s.topology().router().checkInterval()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationFields")
    void twoMinutesOneHourHalfASecondAndABareNumberMeanTheSameInEveryDurationField(String field, Function<Scenario, Duration> value) {
        assertThat(durationIn(field, value, "2min")).isEqualTo(durationIn(field, value, "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durationIn(field, value, "1h")).isEqualTo(durationIn(field, value, "60m")).isEqualTo(Duration.ofHours(1));
        Optional<String> halfSecond = refusal(field, "500ms");
        if (halfSecond.isEmpty()) {
            assertThat(durationIn(field, value, "500ms")).isEqualTo(Duration.ofMillis(500));
        } else {
            // below the field's own minimum: refused for that, never read as another unit
            assertThat(halfSecond.get()).doesNotContain("no unit").contains("500ms");
        }
        String column = field.startsWith("topology.") ? field.substring("topology.".length()) : field;
        assertThat(refusal(field, "90")).get().asString().endsWith(column + ": 90 has no unit: write 90s (or 500ms, 2m, 1h)");
        assertThat(refusal(field, "1.5H")).isEmpty();
    }

    private static Duration durationIn(String field, Function<Scenario, Duration> value, String text) {
        String yaml = withDuration(field, text);
        if (field.endsWith(".grace")) {
            YamlDocument doc = YamlDocument.parse(yaml, FILE);
            YamlMap fault = (YamlMap) doc.rootMap().orElseThrow().find("phases").map(n -> ((dev.pgcert.yaml.YamlList) n).items().get(0))
                    .flatMap(n -> ((YamlMap) n).list("inject")).orElseThrow().items().get(0);
            Duration d = new FaultParams("f", "stop", fault).duration("grace", Duration.ZERO);
            assertThat(doc.allProblems()).isEmpty();
            read(yaml); // and the whole scenario takes it
            return d;
        }
        return value.apply(read(yaml));
    }

    private static Optional<String> refusal(String field, String text) {
        try {
            read(withDuration(field, text));
            return Optional.empty();
        } catch (ValidationException e) {
            return Optional.of(e.errors().get(0).format());
        }
    }
}
