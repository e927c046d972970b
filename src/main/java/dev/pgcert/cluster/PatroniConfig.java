package dev.pgcert.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgcert.topology.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders one node's patroni.yml from the topology. */
final class PatroniConfig {
    static final int PG_PORT = 5432;
    static final int REST_PORT = 8008;
    static final String DATA_MOUNT = "/var/lib/pgcert/data";
    static final String WAL_MOUNT = "/var/lib/pgcert/wal";
    /** PostgreSQL's programs as Patroni runs them (links to the packaged ones; postgres is a wrapper). */
    static final String BIN_DIR = "/usr/local/lib/pgcert/bin";
    /** Where PostgreSQL's Unix socket is (psql inside the container, as the superuser, trusted). */
    static final String SOCKET_DIR = "/tmp";
    /** A custom setting on every node so that a client can ask which node served it. */
    static final String NODE_GUC = "pgcert.node";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PatroniConfig() {}

    static String render(Topology topology, Topology.Node node, List<String> etcdHosts, Credentials credentials) {
        return render(topology, node, etcdHosts, credentials, Map.of());
    }

    /**
     * As above, with a custom bootstrap method ({@link BackupRepository#bootstrapMethod}): a new cluster is then
     * bootstrapped by that method (a pgBackRest restore) instead of initdb.
     */
    static String render(Topology topology, Topology.Node node, List<String> etcdHosts, Credentials credentials,
                         Map<String, Object> bootstrapMethod) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scope", topology.name());
        root.put("name", node.name());
        root.put("restapi", Map.of("listen", "0.0.0.0:" + REST_PORT, "connect_address", node.name() + ":" + REST_PORT));
        root.put("etcd3", etcd(topology, node, etcdHosts));
        Map<String, Object> bootstrap = new LinkedHashMap<>(bootstrap(topology, node));
        bootstrap.putAll(bootstrapMethod);
        root.put("bootstrap", bootstrap);
        root.put("postgresql", postgresql(topology, node, credentials));
        root.put("tags", tags(node));
        Object logLevel = topology.patroni().more().get("log_level");
        if (logLevel != null) {
            root.put("log", Map.of("level", logLevel));
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> bootstrap(Topology topology, Topology.Node node) {
        Topology.PatroniSettings p = topology.patroni();
        Map<String, Object> dcs = new LinkedHashMap<>();
        dcs.put("ttl", p.ttl());
        dcs.put("loop_wait", p.loopWait());
        dcs.put("retry_timeout", p.retryTimeout());
        dcs.put("maximum_lag_on_failover", p.maximumLagOnFailover());
        dcs.put("synchronous_mode", p.synchronousModeValue());
        dcs.put("synchronous_mode_strict", p.synchronousModeStrict());
        dcs.put("synchronous_node_count", p.synchronousNodeCount());
        dcs.put("failsafe_mode", p.failsafeMode());
        Map<String, Object> pg = new LinkedHashMap<>();
        pg.put("use_pg_rewind", p.usePgRewind());
        pg.put("use_slots", true);
        // Every other dynamic key of the topology (PatroniCatalog), where Patroni reads it.
        p.more().forEach((key, value) -> {
            if (key.equals("use_slots") || key.equals("recovery_conf")) {
                pg.put(key, value);
            } else if (!Topology.PatroniSettings.NODE_LOCAL_KEYS.contains(key)) {
                dcs.put(key, value instanceof Duration d ? d.toSeconds() : value);
            }
        });
        Map<String, Object> parameters = new LinkedHashMap<>();
        // pg_rewind needs either checksums or wal_log_hints; initdb below enables checksums.
        parameters.put("wal_keep_size", "256MB");
        parameters.putAll(topology.postgresql());
        topology.backup().ifPresent(b -> {
            // Continuous archiving through Patroni's dynamic configuration, the same on every node.
            parameters.put("archive_mode", "on");
            parameters.put("archive_command", b.effectiveArchiveCommand());
            parameters.put("archive_timeout", b.archiveTimeout().toSeconds() + "s");
        });
        pg.put("parameters", parameters);
        dcs.put("postgresql", pg);

        List<Object> initdb = new ArrayList<>(List.of(Map.of("encoding", "UTF8"), "data-checksums"));
        node.walVolumeSize().ifPresent(size -> initdb.add(Map.of("waldir", WAL_MOUNT + "/pg_wal")));
        return Map.of("dcs", dcs, "initdb", initdb);
    }

    /**
     * Patroni asks etcd for its members and then talks to their advertised client URLs, which would
     * bypass a Toxiproxy put on the node's DCS link; {@code use_proxies} makes it use the given hosts only.
     */
    private static Map<String, Object> etcd(Topology topology, Topology.Node node, List<String> etcdHosts) {
        Map<String, Object> etcd = new LinkedHashMap<>();
        etcd.put("hosts", etcdHosts);
        boolean proxied = topology.toxiproxyLinks().stream()
                .anyMatch(l -> l.kind() == Topology.ToxiproxyLink.LinkKind.DCS && node.name().equals(l.node()));
        if (proxied) {
            etcd.put("use_proxies", true);
        }
        return etcd;
    }

    private static Map<String, Object> postgresql(Topology topology, Topology.Node node, Credentials c) {
        Map<String, Object> pg = new LinkedHashMap<>();
        pg.put("listen", "0.0.0.0:" + PG_PORT);
        pg.put("connect_address", node.name() + ":" + PG_PORT);
        pg.put("data_dir", DATA_MOUNT + "/pgdata");
        // The image's PostgreSQL programs, with `postgres` itself wrapped to run under libfaketime (the
        // clock-skew fault; src/main/docker/patroni/pgcert-postgres).
        pg.put("bin_dir", BIN_DIR);
        pg.put("pgpass", "/tmp/pgpass");
        pg.put("authentication", Map.of(
                "superuser", Map.of("username", c.superuser(), "password", c.superuserPassword()),
                "replication", Map.of("username", c.replicationUser(), "password", c.replicationPassword()),
                "rewind", Map.of("username", c.superuser(), "password", c.superuserPassword())));
        // The harness's own users first (pg_hba.conf takes the first match, so no added line can lock the
        // harness out), then the topology's lines, then the catch-all for every other user.
        List<Object> hba = new ArrayList<>(List.of(
                // Local socket trust lets fault injection and diagnostics run psql inside the container.
                "local all all trust",
                "host replication " + c.replicationUser() + " 0.0.0.0/0 scram-sha-256",
                "host all " + c.superuser() + " 0.0.0.0/0 scram-sha-256",
                "host all " + c.appUser() + " 0.0.0.0/0 scram-sha-256"));
        Map<String, Object> more = topology.patroni().more();
        if (more.get("pg_hba") instanceof List<?> extra) {
            hba.addAll(extra);
        }
        hba.add("host all all 0.0.0.0/0 scram-sha-256");
        pg.put("pg_hba", hba);
        if (more.get("pg_ident") instanceof List<?> ident) {
            pg.put("pg_ident", ident);
        }
        for (String key : Topology.PatroniSettings.NODE_LOCAL_KEYS) {
            // pg_hba and pg_ident are written above, log_level goes to the log section.
            if (more.containsKey(key) && !List.of("pg_hba", "pg_ident", "log_level").contains(key)) {
                pg.put(key, more.get(key));
            }
        }
        pg.put("parameters", Map.of(NODE_GUC, node.name(), "unix_socket_directories", SOCKET_DIR));
        if (node.walVolumeSize().isPresent()) {
            pg.put("basebackup", List.of(Map.of("waldir", WAL_MOUNT + "/pg_wal"), Map.of("checkpoint", "fast")));
        } else {
            pg.put("basebackup", List.of(Map.of("checkpoint", "fast")));
        }
        return pg;
    }

    /** The node's tags as the topology wrote them, over Patroni's defaults (nofailover only without failover_priority). */
    private static Map<String, Object> tags(Topology.Node node) {
        Map<String, Object> tags = new LinkedHashMap<>();
        if (!node.tags().containsKey("failover_priority")) {
            tags.put("nofailover", node.noFailover());
        }
        tags.put("noloadbalance", node.noLoadBalance());
        tags.put("clonefrom", false);
        tags.put("nosync", false);
        tags.putAll(node.tags());
        node.replicateFrom().ifPresent(upstream -> tags.put("replicatefrom", upstream));
        return tags;
    }
}
