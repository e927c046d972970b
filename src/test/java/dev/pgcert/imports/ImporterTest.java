package dev.pgcert.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** pgcert import on the three production-shaped sets and on malformed files, without Docker. */
class ImporterTest {

    static final Path SETS = Path.of("src/test/resources/import");

    /** The secrets, hosts and addresses in the fixtures: none may reach the output or a message. */
    private static final List<String> NEVER_COPIED = List.of("secret", "2c5e9f3b", "10.20.1.", "192.168.40.",
            "127.0.0.1", "rep-pass", "rewind_password", "userlist.txt", "pgbackrest --stanza", "pg-orders-0",
            "payments-db-", "ldap.internal");

    static Importer importer(String set) {
        Path dir = SETS.resolve(set);
        Importer importer = new Importer().withPatroni(dir.resolve("patroni.yml")).withOutputName(set + ".yaml");
        if (Files.exists(dir.resolve("pgbouncer.ini"))) {
            importer.withPgBouncer(dir.resolve("pgbouncer.ini"));
        }
        if (Files.exists(dir.resolve("haproxy.cfg"))) {
            importer.withHaproxy(dir.resolve("haproxy.cfg"));
        }
        return importer;
    }

    @Test
    void eachSetBecomesATopologyThatValidates() {
        for (String set : List.of("consul", "etcd-sync", "patroni-example")) {
            Importer.Result result = importer(set).run();
            Topology again = TopologyLoader.parse(result.yaml(), set + ".yaml");
            assertThat(again.nodes()).as(set).hasSize(3);
            assertThat(result.kept()).as(set).isNotEmpty();
            assertThat(result.dropped()).as(set).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
        }
    }

    @Test
    void consulIsMappedToTheHarnessEtcdWithAComment() {
        Importer.Result result = importer("consul").run();
        assertThat(result.yaml()).contains("your DCS is Consul (patroni.yml section consul): the harness always runs its own etcd");
        assertThat(result.topology().dcs().members()).isEqualTo(1);
        assertThat(result.topology().name()).isEqualTo("orders-db");
        assertThat(result.topology().patroni().ttl()).isEqualTo(30);
        assertThat(result.topology().patroni().failsafeMode()).isTrue();
        assertThat(result.topology().postgresql()).containsEntry("max_connections", "200")
                .containsEntry("shared_preload_libraries", "pg_stat_statements,auto_explain")
                .doesNotContainKeys("archive_command", "archive_mode", "ssl_cert_file", "unix_socket_directories");
        assertThat(result.yaml()).contains("library timescaledb (patroni.yml:50) not reproduced: not installed");
        assertThat(result.topology().pgbouncer()).hasValueSatisfying(b -> {
            assertThat(b.defaultPoolSize()).isEqualTo(40);
            assertThat(b.serverLoginRetry()).hasSeconds(2);
        });
        assertThat(result.topology().router().checkInterval()).hasSeconds(3);
        assertThat(result.topology().router().fall()).isEqualTo(3);
        assertThat(result.topology().router().readWrite().patroniEndpoint()).contains("/primary");
        assertThat(result.topology().router().readOnly().patroniEndpoint()).contains("/replica");
    }

    @Test
    void etcdWithSyncModeKeepsTheSyncSettingsAndCountsTheEndpoints() {
        Importer.Result result = importer("etcd-sync").run();
        Topology t = result.topology();
        assertThat(t.dcs().members()).isEqualTo(3);
        assertThat(t.patroni().synchronousMode()).isTrue();
        assertThat(t.patroni().loopWait()).isEqualTo(5);
        assertThat(t.patroni().maximumLagOnFailover()).isEqualTo(16_777_216L);
        assertThat(t.node("node3").noLoadBalance()).isTrue();
        assertThat(t.node("node3").replicateFrom()).isEmpty();
        assertThat(t.router().readOnly().maxLagBytes()).contains(16L * 1024 * 1024);
        assertThat(result.dropped()).anySatisfy(d -> {
            assertThat(d.field()).isEqualTo("tags.replicatefrom");
            assertThat(d.origin()).isEqualTo("patroni.yml:87");
        });
    }

    /** Every setting under bootstrap.dcs is either in the topology or has a comment: nothing is lost silently. */
    @Test
    void everyDynamicSettingIsKeptOrExplained() {
        for (String set : List.of("consul", "etcd-sync", "patroni-example")) {
            Importer.Result result = importer(set).run();
            Stream<String> accounted = Stream.concat(result.kept().stream().map(Importer.Kept::field),
                    result.dropped().stream().map(Importer.Dropped::field));
            List<String> fields = accounted.toList();
            for (String leaf : DynamicLeaves.of(SETS.resolve(set).resolve("patroni.yml"))) {
                assertThat(fields).as(set + ": " + leaf).anyMatch(f -> leaf.equals(f) || leaf.startsWith(f + ".")
                        || leaf.startsWith(f + "[") || f.startsWith(leaf + "["));
            }
        }
    }

    @Test
    void hostsAddressesAndCredentialsAreNeverCopiedNorPrinted() {
        for (String set : List.of("consul", "etcd-sync", "patroni-example")) {
            Importer.Result result = importer(set).run();
            String everything = result.yaml() + result.dropped().stream().map(Importer.Dropped::format).toList()
                    + result.warnings();
            for (String secret : NEVER_COPIED) {
                assertThat(everything).as(set).doesNotContain(secret);
            }
        }
    }

    @Test
    void aNamedStackIsUsedAndNamed() {
        Importer.Result result = importer("etcd-sync").withStack("trixie").run();
        assertThat(result.stack().name()).isEqualTo("trixie");
        assertThat(result.yaml()).contains("stack: trixie");
        assertThatThrownBy(() -> importer("etcd-sync").withStack("jessie").run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown stack 'jessie'");
    }

    @Test
    void aSettingTheFormatRefusesGetsTheValidatorsReasonAsAComment() {
        Importer.Result result = importer("consul").run();
        // A key the topology does not take on this stack: out of the topology, with the reason and the input line.
        result.dropped().stream().filter(d -> d.reason().contains("(stack ")).forEach(d -> {
            assertThat(result.yaml()).contains(d.field() + " (" + d.origin() + ") not reproduced on stack");
        });
        assertThat(result.yaml()).contains("pgbouncer.auth_file (pgbouncer.ini:15) not reproduced: holds user names or credentials");
    }

    @Test
    void malformedYamlGivesFileAndLine() {
        ValidationException e = catchValidation(new Importer().withPatroni(SETS.resolve("bad/patroni.yml")));
        assertThat(e.errors()).singleElement().satisfies(p -> {
            assertThat(p.location().source()).endsWith("bad/patroni.yml");
            assertThat(p.location().line()).isEqualTo(5);
            assertThat(p.message()).startsWith("YAML syntax error");
        });
    }

    @Test
    void malformedIniGivesFileLineAndField() {
        ValidationException e = catchValidation(importer("consul").withPgBouncer(SETS.resolve("bad/pgbouncer.ini")));
        List<Problem> errors = e.errors();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).format()).isEqualTo(SETS.resolve("bad/pgbouncer.ini")
                + ":4:1: pgbouncer: section header without ']' (write [pgbouncer])");
        assertThat(errors.get(1).location().line()).isEqualTo(6);
        assertThat(errors.get(1).message()).startsWith("expected 'key = value' or a [section] header");
        // The line is not echoed: a malformed [databases] line may hold a password.
        assertThat(errors.get(1).message()).doesNotContain("server_login_retry 2");
    }

    @Test
    void aSettingBeforeAnySectionAndAnEmptyKeyAreErrors() {
        dev.pgcert.yaml.Problems problems = new dev.pgcert.yaml.Problems();
        IniFile.parse("pool_mode = session\n[pgbouncer]\n = 3\nmax_client_conn = 10\nmax_client_conn = 20\n", "p.ini", problems);
        assertThat(problems.all()).extracting(Problem::format).containsExactly(
                "p.ini:1:1: pool_mode: setting before any [section] header",
                "p.ini:3:2: pgbouncer: a line with a value but no key",
                "p.ini:5:1: warning: pgbouncer.max_client_conn: set twice (also line 4); PgBouncer uses this one");
    }

    @Test
    void malformedCfgGivesFileLineAndField() {
        ValidationException e = catchValidation(importer("consul").withHaproxy(SETS.resolve("bad/haproxy.cfg")));
        assertThat(e.errors()).extracting(p -> p.location().line() + " " + p.path()).containsExactly(
                "5 defaults.timeout connect", "10 listen primary.default-server inter");
        assertThat(e.errors().get(0).location().source()).endsWith("bad/haproxy.cfg");
        assertThat(e.errors().get(0).message()).startsWith("not an HAProxy time: '4x'");
    }

    @Test
    void cfgStructureErrors() {
        dev.pgcert.yaml.Problems problems = new dev.pgcert.yaml.Problems();
        HaproxyFile.parse("maxconn 100\nlisten\n  bind *:5000\nbackend db\n  default-server fall x rise\n", "h.cfg", problems);
        assertThat(problems.all()).extracting(Problem::format).containsExactly(
                "h.cfg:1:1: maxconn: directive before any section (global, defaults, listen, frontend, backend)",
                "h.cfg:2:1: listen: a listen section needs a name ('listen NAME')",
                "h.cfg:5:3: backend db.default-server fall: expected a positive integer, got 'x'",
                "h.cfg:5:3: backend db.default-server rise: missing value");
    }

    @Test
    void haproxyAndPgbouncerTimesBecomeDurations() {
        assertThat(HaproxyFile.duration("3s")).contains("3s");
        assertThat(HaproxyFile.duration("3000")).contains("3000ms");
        assertThat(HaproxyFile.duration("1d")).contains("24h");
        assertThat(HaproxyFile.duration("3x")).isEmpty();
        assertThat(Mapping.pgbouncerTime("15")).contains("15s");
        assertThat(Mapping.pgbouncerTime("0.5")).contains("500ms");
        assertThat(Mapping.pgbouncerTime("15s")).isEmpty();
    }

    @Test
    void scopeBecomesATopologyName() {
        assertThat(Mapping.clusterName("Orders_DB.prod")).isEqualTo("orders-db-prod");
        assertThat(Mapping.clusterName("***")).isEqualTo("imported");
    }

    private static ValidationException catchValidation(Importer importer) {
        try {
            importer.run();
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("no ValidationException");
    }
}
