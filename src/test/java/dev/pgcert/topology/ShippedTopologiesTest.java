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

    /** On bookworm (Patroni 3.0.2) the shipped designs load as written, without a warning. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void loadsCleanlyOnBookworm(Path file) {
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
