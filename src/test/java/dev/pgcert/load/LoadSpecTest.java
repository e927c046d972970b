package dev.pgcert.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcert.load.LoadSpec.TargetServerType;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load section: read with every problem at its line, and written back in the same grammar. */
class LoadSpecTest {

    private static YamlDocument doc(String yaml) {
        return YamlDocument.parse(yaml, "s.yaml");
    }

    private static LoadSpec parse(String yaml) {
        YamlDocument d = doc(yaml);
        Optional<LoadSpec> spec = d.rootMap().orElseThrow().map("load").flatMap(LoadSection::read);
        d.problems().throwIfErrors();
        return spec.orElseThrow();
    }

    private static List<String> problems(String yaml) {
        YamlDocument d = doc(yaml);
        Optional<LoadSpec> spec = d.rootMap().orElseThrow().map("load").flatMap(LoadSection::read);
        assertThat(spec).as("a load with errors is not built").isEmpty();
        return d.allProblems().stream().map(Problem::format).toList();
    }

    @Test
    void emptySectionGivesTheDefaults() {
        LoadSpec spec = parse("load: {}");
        assertThat(spec).isEqualTo(LoadSpec.defaults());
        assertThat(spec.duration()).as("no duration: the scenario derives it").isEmpty();
        assertThat(spec.writes().profile()).isEqualTo(Profile.rate(100));
        assertThat(spec.reads().profile()).isEqualTo(Profile.rate(20));
        assertThat(spec.reads().endpoint()).isEqualTo(Endpoint.RO);
        assertThat(spec.transfers()).isNull();
        assertThat(spec.balances()).isNull();
        assertThat(spec.pool()).isEqualTo(LoadSpec.Pool.DEFAULT);
        assertThat(spec.probe()).isEqualTo(ProbeSpec.DEFAULT);
    }

    @Test
    void readsEveryKeyOfAScenarioFile() {
        LoadSpec spec = parse("""
                load:
                  duration: 2m
                  first_key: 1000
                  writes: {users: 8}
                  reads: {ramp: {from: 10, to: 200}, duration: 30s, endpoint: rw}
                  transfers: {rate: 15.5}
                  bank: {accounts: 20, total: 1000000, max_amount: 7}
                  pool: {rw_size: 12, ro_size: 3, connection_timeout: 2s, validation_timeout: 250ms, keepalive_time: 45s,
                         max_lifetime: 10min, connect_timeout: 2s, socket_timeout: 5s, login_timeout: 3s,
                         tcp_keep_alive: false, target_server_type: {rw: primary, ro: preferSecondary}, max_queued: 50}
                  probe: {rate: 10, connect_timeout: 2s, socket_timeout: 1s, read_write: true, read_only: false}
                """);
        assertThat(spec.duration()).contains(Duration.ofMinutes(2));
        assertThat(spec.firstKey()).isEqualTo(1000);
        assertThat(spec.writes()).isEqualTo(new LoadSpec.Workload(Profile.users(8), null, Endpoint.RW));
        assertThat(spec.reads()).isEqualTo(new LoadSpec.Workload(Profile.ramp(10, 200), Duration.ofSeconds(30), Endpoint.RW));
        assertThat(spec.transfers().profile()).isEqualTo(Profile.rate(15.5));
        assertThat(spec.balances().profile()).as("balances default on with transfers").isEqualTo(Profile.rate(2));
        assertThat(spec.bank()).isEqualTo(new LoadSpec.Bank(20, 1_000_000, 7));
        assertThat(spec.pool()).isEqualTo(new LoadSpec.Pool(12, 3, Duration.ofSeconds(2), Duration.ofMillis(250),
                Duration.ofSeconds(45), Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(3),
                false, TargetServerType.PRIMARY, TargetServerType.PREFER_SECONDARY, 50));
        assertThat(spec.probe()).isEqualTo(new ProbeSpec(10, Duration.ofSeconds(2), Duration.ofSeconds(1), true, false));
        assertThat(spec.longestWorkload()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void partsCanBeSwitchedOff() {
        LoadSpec spec = parse("""
                load:
                  writes: off
                  reads: false
                  balances: {rate: 1}
                  probe: off
                """);
        assertThat(spec.writes()).isNull();
        assertThat(spec.reads()).isNull();
        assertThat(spec.transfers()).isNull();
        assertThat(spec.balances().profile()).isEqualTo(Profile.rate(1));
        assertThat(spec.workloads()).containsOnlyKeys("balances");
        assertThat(spec.probe()).isEqualTo(ProbeSpec.OFF);
        assertThat(spec.probe().enabled()).isFalse();
    }

    @Test
    void aWorkloadsOwnDurationNeverOutlastsTheLoad() {
        LoadSpec spec = parse("load: {duration: 1m, reads: {rate: 5, duration: 20s}, writes: {rate: 5, duration: 5m}}");
        assertThat(spec.reads().within(spec.runFor())).isEqualTo(Duration.ofSeconds(20));
        assertThat(spec.writes().within(spec.runFor())).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.longestWorkload()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theChildJvmReadsBackExactlyWhatWasWritten(@TempDir Path dir) throws Exception {
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofMillis(90_500))
                .writes(new LoadSpec.Workload(Profile.ramp(0, 50), Duration.ofSeconds(40), Endpoint.RW, "pg2"))
                .reads((Profile) null)
                .listAppend(Profile.rate(3), new LoadSpec.Lists(3, 10, 2, LoadSpec.Isolation.REPEATABLE_READ))
                .bulk(new LoadSpec.Bulk(1000, 100, 2))
                .transfers(Profile.users(3))
                .balances(new LoadSpec.Workload(Profile.rate(0.5), null, Endpoint.RO))
                .bank(4, 400, 9)
                .poolSize(5, 2)
                .timeouts(Duration.ofMillis(700), Duration.ofSeconds(4))
                .probe(new ProbeSpec(7.5, Duration.ofSeconds(2), Duration.ofSeconds(3), false, true))
                .firstKey(77)
                .build();
        ChildConfig config = new ChildConfig(spec, "jdbc:postgresql://127.0.0.1:1/a", "jdbc:postgresql://127.0.0.1:2/a",
                java.util.Map.of("pg2", "jdbc:postgresql://127.0.0.1:3/a"), dir.resolve("h.jsonl"), Duration.ofMillis(250));
        Path file = dir.resolve("pgcert-load.yaml");
        config.write(file);
        assertThat(ChildConfig.read(file)).isEqualTo(config);
        assertThat(Files.readString(file)).contains("connection_timeout: 700ms").doesNotContain("password");
    }

    @Test
    void aSpecWithoutABoundCannotBeStartedOnItsOwn() {
        assertThatThrownBy(() -> new ChildConfig(LoadSpec.defaults(), "a", "b", java.util.Map.of(), Path.of("h"), Duration.ofSeconds(1)))
                .hasMessageContaining("the load has no duration");
    }

    @Test
    void everyMistakeIsNamedAtItsLineAllAtOnce() {
        assertThat(problems("""
                load:
                  writes: {rte: 5}
                  reads: {rate: 5, users: 2}
                  duration: soon
                  pool: {socket_timeout: 1500ms}
                  transfers: {rate: 1, endpoint: ro}
                """)).containsExactly(
                "s.yaml:2:12: load.writes.rte: unknown key 'rte'; did you mean 'rate'?",
                "s.yaml:3:10: load.reads: give one of rate, ramp, users",
                "s.yaml:4:13: load.duration: expected a duration such as 500ms, 10s, 2m or 1h, got 'soon'",
                "s.yaml:5:26: load.pool.socket_timeout: PgJDBC counts whole seconds: write 2s or 0 (none), not 1500ms",
                "s.yaml:6:34: load.transfers.endpoint: transfers must use the rw endpoint");
    }

    @Test
    void hikariCpsOwnMinimumsAreRefusedNotSilentlyReplaced() {
        assertThat(problems("""
                load:
                  pool:
                    connection_timeout: 100ms
                    keepalive_time: 10s
                    max_lifetime: 20s
                """)).containsExactly(
                "s.yaml:3:25: load.pool.connection_timeout: HikariCP's minimum is 250ms, got 100ms",
                "s.yaml:4:21: load.pool.keepalive_time: HikariCP takes 0 (off) or at least 30s, got 10s",
                "s.yaml:5:19: load.pool.max_lifetime: HikariCP takes 0 (no limit) or at least 30s, got 20s");
        assertThat(problems("load:\n  pool: {connection_timeout: 400ms}\n")).containsExactly(
                "s.yaml:2:9: load.pool: must be below connection_timeout (400ms), got 500ms");
        assertThat(problems("load:\n  pool: {keepalive_time: 5m, max_lifetime: 1m}\n")).containsExactly(
                "s.yaml:2:26: load.pool.keepalive_time: must be below max_lifetime (1m), got 5m");
    }

    @Test
    void workloadRulesAreNamedAtTheirLine() {
        assertThat(problems("load: {writes: off, reads: off}")).containsExactly(
                "s.yaml:1:7: load: " + LoadSpec.NO_WORKLOAD);
        assertThat(problems("load: {transfers: {rate: 1}, bank: {accounts: 1}}")).containsExactly(
                "s.yaml:1:47: load.bank.accounts: transfers and balances need at least 2 accounts, got 1");
        assertThat(problems("load: {writes: {users: 0}}")).containsExactly(
                "s.yaml:1:24: load.writes.users: must be at least 1, got 0");
        assertThat(problems("load: {probe: {read_write: false, read_only: false}}")).containsExactly(
                "s.yaml:1:15: load.probe: a probe on neither endpoint probes nothing: write probe: off");
    }

    @Test
    void passwordIsNotInTheEndpointsText() {
        LoadEndpoints e = LoadEndpoints.single("jdbc:postgresql://127.0.0.1:5432/postgres", "app", "s3cret");
        assertThat(e.toString()).doesNotContain("s3cret").contains("app");
    }

    @Test
    void listAppendBulkAndNodeAimedWritesAreRead() {
        LoadSpec spec = parse("""
                load:
                  writes: {rate: 50, node: node2}
                  list_append: {rate: 10, keys: 3, max_appends: 8, max_ops: 2, isolation: repeatable_read}
                  bulk: {rows: 100000, batch: 10000}
                """);
        assertThat(spec.writes().node()).isEqualTo("node2");
        assertThat(spec.appends().profile()).isEqualTo(Profile.rate(10));
        assertThat(spec.lists()).isEqualTo(new LoadSpec.Lists(3, 8, 2, LoadSpec.Isolation.REPEATABLE_READ));
        assertThat(spec.bulk()).isEqualTo(new LoadSpec.Bulk(100_000, 10_000, 1));
        assertThat(spec.bulk().batches()).isEqualTo(10);
        assertThat(spec.workloads()).containsKeys("writes", "reads", "list_append", "bulk");
        assertThat(spec.workloads().get("bulk").duration()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void mistakesInTheNewWorkloadsAreNamedAtTheirLines() {
        assertThat(problems("""
                load:
                  writes: {rate: 5, node: node2, endpoint: rw}
                  list_append: {rate: 5, isolation: snapshot, max_ops: 0}
                  bulk: {rows: 10, batch: 100}
                """)).containsExactly(
                "s.yaml:2:27: load.writes.node: give node or endpoint, not both: node aims the writes past the endpoints",
                "s.yaml:3:37: load.list_append.isolation: expected one of read_committed, repeatable_read, serializable, got 'snapshot'",
                "s.yaml:3:56: load.list_append.max_ops: must be at least 1, got 0",
                "s.yaml:4:27: load.bulk.batch: a batch of 100 rows is more than the 10 rows to load");
    }

    @Test
    void aLoadOfOnlyListAppendTransactionsIsALoad() {
        LoadSpec spec = parse("load: {writes: off, reads: off, list_append: {rate: 5}}");
        assertThat(spec.workloads()).containsOnlyKeys("list_append");
        assertThat(spec.lists()).isEqualTo(LoadSpec.Lists.DEFAULT);
    }
}
