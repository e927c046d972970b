package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcert.topology.Topology.Images;
import dev.pgcert.topology.Topology.PatroniSettings;
import dev.pgcert.topology.Topology.PgBouncer;
import dev.pgcert.topology.Topology.RouteCheck;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GoodTopologiesTest {

    private static TopologyLoader.Loaded good(String name) throws IOException, URISyntaxException {
        Path file = Path.of(GoodTopologiesTest.class.getResource("/topologies/good/" + name).toURI());
        return TopologyLoader.parseWithWarnings(Files.readString(file), "good/" + name);
    }

    @Test
    void omittedSectionsTakeTheirDefaults() throws Exception {
        TopologyLoader.Loaded loaded = good("minimal.yaml");
        Topology t = loaded.topology();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(t.name()).isEqualTo("minimal");
        assertThat(t.source()).isEqualTo("good/minimal.yaml");
        assertThat(t.patroni()).isEqualTo(PatroniSettings.defaults());
        assertThat(t.dcs().members()).isEqualTo(1);
        assertThat(t.pgbouncer()).isEmpty();
        // Patroni's HAProxy template: inter 3s fall 3 rise 2, /primary and /replica.
        assertThat(t.router()).isEqualTo(new Topology.Router(RouteCheck.endpoint("/primary"),
                RouteCheck.endpoint("/replica"), Duration.ofSeconds(3), 3, 2));
        assertThat(t.toxiproxyLinks()).isEmpty();
        assertThat(t.images()).isEqualTo(Images.defaults());
        assertThat(t.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(t.postgresql()).isEmpty();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        TopologyLoader.Loaded loaded = good("full.yaml");
        Topology t = loaded.topology();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(t.postgresql()).containsEntry("max_connections", "50").containsEntry("shared_buffers", "128MB")
                .containsEntry("synchronous_commit", "on").containsEntry("wal_compression", "on");
        assertThat(t.patroni()).isEqualTo(new PatroniSettings(20, 5, 7, 16L << 20, true, true, 2, false, true));
        assertThat(t.dcs().members()).isEqualTo(3);
        Topology.Node node1 = t.node("node1");
        assertThat(node1.dataVolumeSize()).contains(512L << 20);
        assertThat(node1.walVolumeSize()).contains(256L << 20);
        Topology.Node node2 = t.node("node2");
        assertThat(node2.replicateFrom()).contains("node1");
        assertThat(node2.noLoadBalance()).isTrue();
        assertThat(node2.noFailover()).isFalse();
        assertThat(t.node("node4").noFailover()).isTrue();
        assertThat(t.pgbouncer()).contains(new PgBouncer(PgBouncer.PoolMode.TRANSACTION, 10, 500, Duration.ofMillis(500)));
        assertThat(t.router().readWrite()).isEqualTo(new RouteCheck(Optional.empty(), Optional.of("node1"), Optional.empty()));
        assertThat(t.router().readOnly()).isEqualTo(new RouteCheck(Optional.of("/async"), Optional.empty(), Optional.of(1L << 30)));
        assertThat(t.router().checkInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(t.router().fall()).isEqualTo(4);
        assertThat(t.router().rise()).isEqualTo(3);
        assertThat(t.toxiproxyLinks()).extracting(Topology.ToxiproxyLink::kind)
                .containsExactly(LinkKind.CLIENT, LinkKind.REPLICATION, LinkKind.DCS);
        assertThat(t.images()).isEqualTo(new Images(Stacks.defaultStack(), Optional.of("registry.example.test/pgcert"), "debian:bookworm-slim",
                "16", Optional.of("3.0.2"), Optional.of("1.18"), Optional.of("2.6"), Optional.of("3.4.23"),
                "ghcr.io/shopify/toxiproxy:2.12.0"));
        assertThat(t.startupTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void aClusterWhereNoNodeMayLeadIsValidButWarned() throws Exception {
        TopologyLoader.Loaded loaded = good("all-nofailover.yaml");

        assertThat(loaded.topology().bootstrapNode()).isEmpty();
        assertThat(loaded.warnings()).extracting(Problem::format).containsExactly(
                "good/all-nofailover.yaml:4:3: warning: nodes: every node has nofailover: true: Patroni lets none "
                        + "of them bootstrap or take the leader lock, so this cluster cannot start");
    }

    @Test
    void theBootstrapNodeIsTheFirstThatMayFailOver() {
        Topology t = TopologyLoader.parse("""
                name: x
                nodes:
                  - {name: a, tags: {nofailover: true}}
                  - {name: b}
                  - {name: c}
                toxiproxy:
                  - {link: replication, node: a}
                """, "inline");

        assertThat(t.bootstrapNode()).map(Topology.Node::name).contains("b");
        assertThat(t.toxiproxyLinks()).containsExactly(new Topology.ToxiproxyLink(LinkKind.REPLICATION, "a"));
    }

    @Test
    void aNodeThatReplicatesFromAnotherDoesNotBootstrapAndItsReplicationLinkMayBeProxied() {
        Topology t = TopologyLoader.parse("""
                name: x
                nodes:
                  - {name: a, tags: {replicatefrom: b}}
                  - {name: b}
                toxiproxy:
                  - {link: replication, node: a}
                """, "inline");

        assertThat(t.bootstrapNode()).map(Topology.Node::name).contains("b");
        assertThat(t.toxiproxyLinks()).containsExactly(new Topology.ToxiproxyLink(LinkKind.REPLICATION, "a"));
        assertThatThrownBy(() -> TopologyLoader.parse("""
                name: x
                nodes:
                  - {name: a, tags: {replicatefrom: b}}
                  - {name: b, tags: {replicatefrom: c}}
                  - {name: c, tags: {nofailover: true}}
                """, "inline"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("inline:3:3: nodes: every node that may fail over has a replicatefrom tag");
    }

    @Test
    void anEmptyPgbouncerSectionMeansPgbouncerWithItsOwnDefaults() {
        Topology t = TopologyLoader.parse("name: x\nnodes: [{name: a}]\npgbouncer: {}\n", "inline");

        assertThat(t.pgbouncer()).contains(new PgBouncer(PgBouncer.PoolMode.SESSION, 20, 100, Duration.ofSeconds(15)));
    }

    @Test
    void warnsAboutAPoolLargerThanPostgresAdmits() {
        TopologyLoader.Loaded loaded = TopologyLoader.parseWithWarnings("""
                name: x
                postgresql: {max_connections: 50}
                nodes: [{name: a}]
                pgbouncer: {default_pool_size: 60}
                """, "inline");

        assertThat(loaded.warnings()).extracting(Problem::format).containsExactly("inline:4:32: warning: "
                + "pgbouncer.default_pool_size: default_pool_size 60 exceeds the 47 connections PostgreSQL admits "
                + "(max_connections 50 minus 3 reserved)");
    }

    @Test
    void strictModeWithoutSynchronousModeIsWarned() {
        TopologyLoader.Loaded loaded = TopologyLoader.parseWithWarnings(
                "name: x\nnodes: [{name: a}]\npatroni: {synchronous_mode_strict: true}\n", "inline");

        assertThat(loaded.warnings()).extracting(Problem::format).containsExactly(
                "inline:3:36: warning: patroni.synchronous_mode_strict: has no effect without synchronous_mode: true");
    }

    @Test
    void loadNamesTheFileAsGivenAndReportsAMissingFile() {
        Path missing = Path.of("no-such-dir", "missing.yaml");

        assertThatThrownBy(() -> TopologyLoader.load(missing))
                .isInstanceOf(ValidationException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void synchronousModeNeedsAReplicaStreamingFromThePrimary() {
        assertThatThrownBy(() -> TopologyLoader.parse(
                "name: x\nnodes: [{name: a}]\npatroni: {synchronous_mode: true}\n", "inline"))
                .hasMessage("inline:3:29: patroni.synchronous_mode: synchronous_node_count 1 is more than the "
                        + "replicas that stream from the primary a and so can be synchronous (none)");
    }

    @Test
    void aTopologyEmbeddedInAnotherDocumentGetsPrefixedPaths() {
        var document = dev.pgcert.yaml.YamlDocument.parse("""
                topology:
                  name: x
                  nodes: [{name: a, tags: {replicatefrom: b}}]
                phases: []
                """, "scenario.yaml");

        TopologyLoader.readEmbedded(document.rootMap().orElseThrow().map("topology").orElseThrow(), "scenario.yaml");

        assertThat(document.problems().all()).extracting(Problem::format).containsExactly(
                "scenario.yaml:3:43: topology.nodes[0].tags.replicatefrom: no node named 'b' (nodes: a)");
    }
}
