package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.topology.Topology.PgBouncer.PoolMode;
import dev.pgcert.topology.Topology.RouteCheck;
import dev.pgcert.topology.Topology.ToxiproxyLink;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The topologies shipped in {@code topologies/} load without errors or warnings and say what their comments say. */
class ShippedTopologiesTest {

    // Surefire runs in the project directory.
    private static final Path DIR = Path.of("topologies");

    static Stream<Path> shipped() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theFourDesignsAreShipped() throws IOException {
        assertThat(shipped().map(p -> p.getFileName().toString()))
                .contains("three-node-async.yaml", "three-node-sync.yaml", "cascade.yaml", "etcd-quorum.yaml");
    }

    /** Designs that need Patroni 3.2+/4.0 (quorum commit, failover_priority, member_slots_ttl): stack trixie only. */
    static final java.util.List<String> TRIXIE_ONLY = java.util.List.of("three-node-quorum.yaml", "permanent-slots.yaml");

    /** On bookworm (Patroni 3.0.2) the shipped designs load as written, without a warning. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void loadsCleanlyOnBookworm(Path file) {
        org.junit.jupiter.api.Assumptions.assumeFalse(TRIXIE_ONLY.contains(file.getFileName().toString()));
        TopologyLoader.Loaded loaded = StackOverride.with("bookworm", () -> TopologyLoader.loadWithWarnings(file));

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.topology().source()).isEqualTo(file.toString());
        assertThat(file.getFileName().toString()).isEqualTo(loaded.topology().name() + ".yaml");
        // Every shipped design fails over in about ttl seconds: Patroni's rule holds as written.
        Topology.PatroniSettings p = loaded.topology().patroni();
        assertThat(p.loopWait() + 2 * p.retryTimeout()).isLessThanOrEqualTo(p.ttl());
    }

    /**
     * On trixie (Patroni 4.0.7) the only warning is Patroni's ttl floor: the designs state ttl 10 and
     * run with 20, and the topology holds 20 so that waits and reports use what runs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void onTrixieTheOnlyWarningIsPatronisTtlFloor(Path file) {
        TopologyLoader.Loaded loaded = StackOverride.with("trixie", () -> TopologyLoader.loadWithWarnings(file));
        Topology.PatroniSettings p = loaded.topology().patroni();

        assertThat(loaded.topology().images().stack().name()).isEqualTo("trixie");
        assertThat(p.ttl()).isGreaterThanOrEqualTo(20);
        assertThat(loaded.warnings()).allSatisfy(w -> {
            assertThat(w.path()).isEqualTo("patroni.ttl");
            assertThat(w.message()).contains("raises ttl 10 to its minimum 20");
        });
        assertThat(p.loopWait() + 2 * p.retryTimeout()).isLessThanOrEqualTo(p.ttl());
    }

    /** The trixie-only designs are refused on bookworm at the line of each key Patroni 3.0.2 lacks. */
    @Test
    void trixieOnlyDesignsAreRefusedOnBookwormAtTheirLines() {
        assertThat(bookwormProblems("three-node-quorum.yaml")).containsExactly(
                "topologies/three-node-quorum.yaml:19:21: patroni.synchronous_mode: quorum commit needs Patroni 4.0 or "
                        + "later; Patroni 3.0.2 (stack bookworm) reads 'quorum' as not true (parse_bool) and would run the "
                        + "cluster asynchronously. Use stack trixie, or synchronous_mode: true");
        assertThat(bookwormProblems("permanent-slots.yaml")).containsExactly(
                "topologies/permanent-slots.yaml:28:3: patroni.member_slots_ttl: member_slots_ttl exists from Patroni "
                        + "4.0.0; Patroni 3.0.2 (stack bookworm) does not have it",
                "topologies/permanent-slots.yaml:38:12: nodes[1].tags.failover_priority: failover_priority exists from "
                        + "Patroni 3.2.0; Patroni 3.0.2 (stack bookworm) does not have it",
                "topologies/permanent-slots.yaml:40:12: nodes[2].tags.failover_priority: failover_priority exists from "
                        + "Patroni 3.2.0; Patroni 3.0.2 (stack bookworm) does not have it");
    }

    private static java.util.List<String> bookwormProblems(String file) {
        dev.pgcert.yaml.ValidationException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.pgcert.yaml.ValidationException.class,
                () -> StackOverride.with("bookworm", () -> TopologyLoader.load(DIR.resolve(file))));
        assertThat(e).as(file + " on bookworm").isNotNull();
        return e.getMessage().lines().toList();
    }

    @Test
    void threeNodeQuorumRunsQuorumCommitWithItsSettings() {
        Topology t = TopologyLoader.load(DIR.resolve("three-node-quorum.yaml"));
        assertThat(t.images().stack().name()).isEqualTo("trixie");
        assertThat(t.patroni().synchronousModeValue()).isEqualTo("quorum");
        assertThat(t.patroni().more()).containsEntry("primary_start_timeout", 0).containsEntry("check_timeline", true)
                .containsEntry("maximum_lag_on_syncnode", 16L << 20);
        assertThat(t.pgbouncer().orElseThrow().more()).containsEntry("server_check_delay", Duration.ofSeconds(5))
                .containsEntry("query_wait_timeout", Duration.ofSeconds(30))
                .containsEntry("server_lifetime", Duration.ofSeconds(600));
        assertThat(t.router().timeouts().connect()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.router().fallOf(t.router().readOnly())).isEqualTo(3);
        assertThat(t.router().fallOf(t.router().readWrite())).isEqualTo(2);
    }

    @Test
    void permanentSlotsKeepsSlotsAndPriorities() {
        Topology t = TopologyLoader.load(DIR.resolve("permanent-slots.yaml"));
        assertThat(t.patroni().more().get("slots")).isEqualTo(java.util.Map.of(
                "archive", java.util.Map.of("type", "physical"),
                "cdc", java.util.Map.of("type", "logical", "database", "pgcert", "plugin", "pgoutput")));
        assertThat(t.node("node2").tags()).containsEntry("failover_priority", 2);
        assertThat(t.node("node3").tags()).containsEntry("failover_priority", 1).containsEntry("nosync", true);
        assertThat(t.bootstrapNode()).map(Node::name).contains("node1");
    }

    @Test
    void threeNodeAsync() {
        Topology t = StackOverride.with("bookworm", () -> TopologyLoader.load(DIR.resolve("three-node-async.yaml")));

        assertThat(t.nodes()).extracting(Node::name).containsExactly("node1", "node2", "node3");
        assertThat(t.bootstrapNode()).map(Node::name).contains("node1");
        assertThat(t.patroni()).isEqualTo(new Topology.PatroniSettings(10, 2, 4, 1L << 20, false, false, 1, true, false));
        // Reads avoid a replica more than 1 MB behind (Patroni's /replica?lag=).
        assertThat(t.router()).isEqualTo(new Topology.Router(RouteCheck.endpoint("/primary"),
                new RouteCheck(Optional.of("/replica"), Optional.empty(), Optional.of(1L << 20)), Duration.ofSeconds(1), 2, 1));
        assertThat(t.pgbouncer()).contains(new Topology.PgBouncer(PoolMode.TRANSACTION, 20, 200, Duration.ofSeconds(1)));
        assertThat(t.dcs().members()).isEqualTo(1);
        assertThat(t.postgresql()).containsEntry("max_connections", "100");
        assertThat(t.toxiproxyLinks()).containsExactly(new ToxiproxyLink(LinkKind.CLIENT, ""),
                new ToxiproxyLink(LinkKind.REPLICATION, "node2"), new ToxiproxyLink(LinkKind.REPLICATION, "node3"));
        assertThat(t.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void threeNodeSyncDiffersFromAsyncOnlyInSynchronousMode() {
        Topology sync = TopologyLoader.load(DIR.resolve("three-node-sync.yaml"));
        Topology async = TopologyLoader.load(DIR.resolve("three-node-async.yaml"));

        assertThat(sync.patroni().synchronousMode()).isTrue();
        assertThat(sync.patroni().synchronousModeStrict()).isTrue();
        assertThat(sync.patroni().synchronousNodeCount()).isEqualTo(1);
        assertThat(sync.nodes()).isEqualTo(async.nodes());
        assertThat(sync.router()).isEqualTo(async.router());
        assertThat(sync.pgbouncer()).isEqualTo(async.pgbouncer());
        assertThat(sync.toxiproxyLinks()).isEqualTo(async.toxiproxyLinks());
    }

    @Test
    void cascadeChainsReplicas() {
        Topology t = TopologyLoader.load(DIR.resolve("cascade.yaml"));

        assertThat(t.nodes()).extracting(Node::name, Node::replicateFrom).containsExactly(
                org.assertj.core.groups.Tuple.tuple("node1", Optional.empty()),
                org.assertj.core.groups.Tuple.tuple("node2", Optional.empty()),
                org.assertj.core.groups.Tuple.tuple("node3", Optional.of("node2")),
                org.assertj.core.groups.Tuple.tuple("node4", Optional.of("node3")));
        assertThat(t.pgbouncer()).isEmpty();
    }

    @Test
    void etcdQuorumHasThreeMembersAndProxiedDcsLinks() {
        Topology t = TopologyLoader.load(DIR.resolve("etcd-quorum.yaml"));

        assertThat(t.dcs().members()).isEqualTo(3);
        assertThat(t.nodes()).hasSize(3);
        assertThat(t.toxiproxyLinks()).filteredOn(l -> l.kind() == LinkKind.DCS)
                .extracting(ToxiproxyLink::node).containsExactly("node1", "node2", "node3");
    }
}
