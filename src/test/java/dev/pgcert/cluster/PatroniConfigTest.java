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
                .contains("synchronous_mode: \"quorum\"").contains("bin_dir: \"/usr/local/lib/pgcert/bin\"");

        Topology sync = TopologyLoader.parse("name: s\nstack: bookworm\npatroni: {synchronous_mode: true}\n"
                + "nodes: [{name: node1}, {name: node2}]\n", "s.yaml");
        assertThat(PatroniConfig.render(sync, sync.node("node1"), List.of("etcd1:2379"), Credentials.generate()))
                .contains("synchronous_mode: true").contains("bin_dir: \"/usr/local/lib/pgcert/bin\"");
    }

    /** Every dynamic key goes to bootstrap.dcs, local ones to the node's postgresql section, tags verbatim. */
    @Test
    void everyTopologySettingIsRenderedWherePatroniReadsIt() throws Exception {
        Topology slots = TopologyLoader.load(Path.of("topologies", "permanent-slots.yaml"));
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(PatroniConfig.render(slots, slots.node("node2"), List.of("etcd1:2379"), Credentials.generate()));
        var dcs = yaml.path("bootstrap").path("dcs");
        assertThat(dcs.path("slots").path("cdc").path("database").asText()).isEqualTo("pgcert");
        assertThat(dcs.path("slots").path("archive").path("type").asText()).isEqualTo("physical");
        assertThat(dcs.path("ignore_slots").get(0).path("name").asText()).isEqualTo("external_tool");
        assertThat(dcs.path("member_slots_ttl").asInt()).isEqualTo(600);
        assertThat(dcs.path("postgresql").path("use_slots").asBoolean()).isTrue();
        assertThat(dcs.path("postgresql").path("parameters").path("wal_level").asText()).isEqualTo("logical");
        // failover_priority replaces nofailover (Patroni's validator allows at most one of them).
        assertThat(yaml.path("tags").path("failover_priority").asInt()).isEqualTo(2);
        assertThat(yaml.path("tags").has("nofailover")).isFalse();
        // The harness's users' lines come first (pg_hba.conf takes the first match), then the topology's,
        // then the catch-all.
        var hba = yaml.path("postgresql").path("pg_hba");
        assertThat(hba.get(0).asText()).isEqualTo("local all all trust");
        assertThat(hba.get(hba.size() - 2).asText()).isEqualTo("host pgcert all 10.0.0.0/8 scram-sha-256");
        assertThat(hba.get(hba.size() - 1).asText()).isEqualTo("host all all 0.0.0.0/0 scram-sha-256");

        Topology local = TopologyLoader.parse("name: l\nstack: trixie\npatroni: {pg_ctl_timeout: 30, log_level: DEBUG,"
                + " primary_start_timeout: 0, synchronous_mode: on, maximum_lag_on_syncnode: -1}\n"
                + "nodes: [{name: node1}, {name: node2, tags: {nostream: true, clonefrom: true}}]\n", "l.yaml");
        var l = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(PatroniConfig.render(local, local.node("node2"), List.of("etcd1:2379"), Credentials.generate()));
        assertThat(l.path("postgresql").path("pg_ctl_timeout").asInt()).isEqualTo(30);
        assertThat(l.path("log").path("level").asText()).isEqualTo("DEBUG");
        assertThat(l.path("bootstrap").path("dcs").has("pg_ctl_timeout")).isFalse();
        assertThat(l.path("bootstrap").path("dcs").path("primary_start_timeout").asInt()).isZero();
        assertThat(l.path("bootstrap").path("dcs").path("synchronous_mode").asBoolean()).isTrue();
        assertThat(l.path("bootstrap").path("dcs").path("maximum_lag_on_syncnode").asLong()).isEqualTo(-1);
        assertThat(l.path("tags").path("nostream").asBoolean()).isTrue();
        assertThat(l.path("tags").path("clonefrom").asBoolean()).isTrue();
    }
}
