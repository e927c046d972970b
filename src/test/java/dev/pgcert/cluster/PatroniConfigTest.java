package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PatroniConfigTest {

    /** Without use_proxies Patroni would discover etcd's members and go around a proxied DCS link. */
    @Test
    void aNodeWhoseDcsLinkIsProxiedUsesTheProxiesOnly() {
        Topology proxied = TopologyLoader.load(Path.of("topologies", "etcd-quorum.yaml"));
        String yaml = PatroniConfig.render(proxied, proxied.node("node1"), List.of("toxiproxy:8667"), Credentials.generate());
        assertThat(yaml).contains("use_proxies: true").contains("toxiproxy:8667");

        Topology direct = TopologyLoader.load(Path.of("topologies", "three-node-async.yaml"));
        String plain = PatroniConfig.render(direct, direct.node("node1"), List.of("etcd1:2379"), Credentials.generate());
        assertThat(plain).doesNotContain("use_proxies");
    }

    /** Patroni 4's quorum commit is written as synchronous_mode: quorum; otherwise a boolean. */
    @Test
    void synchronousModeIsQuorumOrABoolean() {
        Topology quorum = TopologyLoader.parse("name: q\nstack: trixie\npatroni: {synchronous_mode: quorum}\n"
                + "nodes: [{name: node1}, {name: node2}]\n", "q.yaml");
        assertThat(PatroniConfig.render(quorum, quorum.node("node1"), List.of("etcd1:2379"), Credentials.generate()))
                .contains("synchronous_mode: \"quorum\"").contains("bin_dir: \"/usr/lib/postgresql/17/bin\"");

        Topology sync = TopologyLoader.parse("name: s\nstack: bookworm\npatroni: {synchronous_mode: true}\n"
                + "nodes: [{name: node1}, {name: node2}]\n", "s.yaml");
        assertThat(PatroniConfig.render(sync, sync.node("node1"), List.of("etcd1:2379"), Credentials.generate()))
                .contains("synchronous_mode: true").contains("bin_dir: \"/usr/lib/postgresql/15/bin\"");
    }
}
