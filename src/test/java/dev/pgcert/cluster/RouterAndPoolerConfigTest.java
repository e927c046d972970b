package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** haproxy.cfg and pgbouncer.ini carry every setting the topology states. */
class RouterAndPoolerConfigTest {

    @Test
    void eachPortHasItsOwnCheckAndTheTimeoutsAreTheTopologys() {
        Topology t = TopologyLoader.parse("""
                name: r
                nodes: [{name: node1}, {name: node2}]
                router:
                  check_interval: 2s
                  fall: 4
                  rise: 3
                  on_marked_down: none
                  timeout_connect: 500ms
                  timeout_client: 1h
                  timeout_server: 10m
                  timeout_check: 1s
                  read_write: {check: /primary, check_interval: 500ms, fall: 1, rise: 1, on_marked_down: shutdown-sessions}
                """, "r.yaml");
        String cfg = RouterConfig.render(t);
        assertThat(cfg).contains("timeout connect 500ms", "timeout client 3600000ms", "timeout server 600000ms",
                "timeout check 1000ms");
        String rw = cfg.substring(cfg.indexOf("listen read_write"), cfg.indexOf("listen read_only"));
        String ro = cfg.substring(cfg.indexOf("listen read_only"));
        assertThat(rw).contains("default-server inter 500ms fall 1 rise 1 on-marked-down shutdown-sessions resolvers");
        assertThat(ro).contains("default-server inter 2000ms fall 4 rise 3 resolvers").doesNotContain("on-marked-down");
    }

    @Test
    void aTemplateGetsItsPlaceholdersFilled(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("haproxy.cfg.tmpl"), """
                global
                    maxconn 100
                {{resolvers}}
                defaults
                    mode tcp
                    timeout connect {{timeout_connect}}
                listen stats
                    mode http
                    bind *:{{stats_port}}
                    stats enable
                listen primary
                    bind *:{{read_write_port}}
                {{read_write_check}}
                {{servers}}
                listen replicas
                    bind *:{{ read_only_port }}
                {{read_only_check}}
                {{servers}}
                """);
        Path topology = dir.resolve("t.yaml");
        Files.writeString(topology, "name: t\nnodes: [{name: node1}, {name: node2}]\n"
                + "router: {template: haproxy.cfg.tmpl, fall: 5}\n");
        String cfg = RouterConfig.render(TopologyLoader.load(topology));
        assertThat(cfg).contains("bind *:5000", "bind *:5001", "bind *:7000", "resolvers docker", "timeout connect 2000ms",
                "option httpchk GET /primary", "option httpchk GET /replica", "fall 5",
                "    server node2 node2:5432 check port 8008").doesNotContain("{{");
    }

    @Test
    void everyPgBouncerSettingIsWrittenDurationsInSeconds() {
        Topology t = TopologyLoader.parse("""
                name: p
                stack: trixie
                nodes: [{name: node1}]
                pgbouncer:
                  pool_mode: transaction
                  server_check_delay: 1500ms
                  query_wait_timeout: 2m
                  server_connect_timeout: 3s
                  max_prepared_statements: 50
                  server_reset_query: DISCARD ALL
                """, "p.yaml");
        Topology.PgBouncer b = t.pgbouncer().orElseThrow();
        String ini = PoolerConfig.ini(b, "router", "stats");
        assertThat(ini).contains("server_check_delay = 1.5\n", "query_wait_timeout = 120\n",
                "server_connect_timeout = 3\n", "max_prepared_statements = 50\n", "server_reset_query = DISCARD ALL\n",
                "pool_mode = transaction\n", "stats_users = stats\n");
        assertThat(ini.lines().filter(l -> l.startsWith("server_connect_timeout"))).hasSize(1);
        assertThat(PoolerConfig.serverConnectTimeout(b)).hasSeconds(3);
    }
}
