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
}
