package dev.pgcert.topology;

import static dev.pgcert.topology.Setting.Kind.BOOLEAN;
import static dev.pgcert.topology.Setting.Kind.DURATION;
import static dev.pgcert.topology.Setting.Kind.SIZE;
import static dev.pgcert.topology.Setting.Kind.SIZE_OR_MINUS_ONE;
import static dev.pgcert.topology.Setting.Kind.TEXT;
import static dev.pgcert.topology.Setting.Kind.TEXT_LIST;
import static dev.pgcert.topology.Setting.Kind.TEXT_MAP;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Patroni's settings as the topology takes them, per Patroni version. Read from the sources of the two
 * versions the stacks run (github.com/patroni/patroni, tags v3.0.2 and v4.0.7), not guessed:
 * <ul>
 *   <li>dynamic (bootstrap.dcs) keys: {@code patroni/config.py} {@code Config.__DEFAULT_CONFIG} and
 *       {@code _safe_copy_dynamic_configuration}, {@code patroni/global_config.py} (4.0.7: every
 *       {@code get}/{@code get_int}/{@code check_mode} key), {@code patroni/dcs/__init__.py}
 *       {@code ClusterConfig} ({@code max_timelines_history}, {@code slots}, {@code ignore_slots}),
 *       {@code patroni/ha.py} ({@code check_timeline}, {@code primary_stop_timeout}) and
 *       {@code docs/dynamic_configuration.rst} / {@code docs/SETTINGS.rst} of each tag;</li>
 *   <li>minimums and types: {@code patroni/validator.py} {@code schema} (4.0.7: ttl >= 20, loop_wait >= 1,
 *       retry_timeout >= 3, maximum_lag_on_syncnode >= -1, synchronous_node_count >= 1, the start/stop
 *       timeouts >= 0; 3.0.2 types ttl, loop_wait and retry_timeout as plain ints);</li>
 *   <li>the first version of each newer key, from {@code git tag --contains} of the commit that added it:
 *       {@code member_slots_ttl} and {@code synchronous_mode: quorum} 4.0.0, {@code nostream} 3.3.0,
 *       {@code failover_priority} 3.2.0;</li>
 *   <li>tags: {@code patroni/validator.py} {@code tags} (3.0.2: nofailover, clonefrom, noloadbalance,
 *       replicatefrom, nosync; 4.0.7 adds failover_priority, at most one of it and nofailover, and
 *       nostream) and {@code patroni/tags.py};</li>
 *   <li>what Patroni drops from the dynamic {@code postgresql} section as local-only
 *       ({@code connect_address, proxy_address, listen, config_dir, data_dir, pgpass, authentication})
 *       and what the harness must own for its containers to work (DCS hosts, REST API, credentials).</li>
 * </ul>
 */
final class PatroniCatalog {

    static final SettingCatalog DCS = new SettingCatalog("Patroni", Stack::patroni, List.of(
            Setting.integer("ttl", 1, 86_400, "seconds: TTL of the leader key (Patroni 3.2+ runs with at least 20)"),
            Setting.integer("loop_wait", 1, 86_400, "seconds between HA loop runs"),
            Setting.integer("retry_timeout", 1, 86_400,
                    "seconds: timeout of DCS and PostgreSQL operation retries (Patroni 3.2+ runs with at least 3)"),
            Setting.of("maximum_lag_on_failover", SIZE, "a replica further behind than this may not become leader"),
            Setting.of("maximum_lag_on_syncnode", SIZE_OR_MINUS_ONE,
                    "a synchronous standby further behind than this is swapped for a healthy one; -1 (default) never"),
            Setting.integer("max_timelines_history", 0, Integer.MAX_VALUE,
                    "timeline history entries kept in the DCS; 0 (default) keeps all"),
            Setting.integer("primary_start_timeout", 0, 86_400,
                    "seconds a crashed primary may take to recover before failover; default 300"),
            Setting.integer("primary_stop_timeout", 0, 86_400,
                    "seconds Patroni waits for PostgreSQL to stop in synchronous mode before SIGKILL; 0 (default) forever"),
            Setting.custom("synchronous_mode", Map.of("enum", List.of(true, false, "on", "off", "quorum")),
                    "true/on, false/off, or quorum (Patroni 4.0+)"),
            Setting.of("synchronous_mode_strict", BOOLEAN, "no synchronous standby left: stop writes instead of going async"),
            Setting.integer("synchronous_node_count", 1, 1_000, "how many synchronous standbys (quorum: how many must confirm)"),
            Setting.of("failsafe_mode", BOOLEAN, "keep the primary when the DCS is down but every member answers"),
            Setting.of("check_timeline", BOOLEAN, "a replica on an older timeline may not become leader"),
            Setting.of("member_slots_ttl", DURATION,
                    "how long a departed member's replication slot is kept; default 30min").since("4.0.0"),
            Setting.custom("slots", Map.of("type", "object", "additionalProperties", slotSchema(true)),
                    "permanent replication slots: name -> {type: physical} or {type: logical, database, plugin}"),
            Setting.custom("ignore_slots", Map.of("type", "array", "items", slotSchema(false)),
                    "slots Patroni must leave alone: a list of {name, type, database, plugin} matches"),
            Setting.of("use_pg_rewind", BOOLEAN, "rewind a former primary instead of re-cloning it"),
            Setting.of("use_slots", BOOLEAN, "replication slots for members (default true)"),
            Setting.of("pg_hba", TEXT_LIST, "pg_hba.conf lines, after the harness's users' lines and before the final catch-all"),
            Setting.of("pg_ident", TEXT_LIST, "pg_ident.conf lines"),
            Setting.of("recovery_conf", TEXT_MAP, "extra recovery settings for replicas"),
            Setting.integer("pg_ctl_timeout", 0, 86_400, "seconds pg_ctl start/stop/restart may take (node-local)"),
            Setting.of("remove_data_directory_on_rewind_failure", BOOLEAN,
                    "re-clone a node whose pg_rewind failed (node-local)"),
            Setting.of("remove_data_directory_on_diverged_timelines", BOOLEAN,
                    "re-clone a node whose timeline diverged and cannot be rewound (node-local)"),
            Setting.oneOf("log_level", List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
                    "Patroni's log level (node-local log.level)"),
            Setting.owned("name", "each node's name comes from nodes[].name"),
            Setting.owned("scope", "the scope is the topology's name"),
            Setting.owned("namespace", "the harness's etcd keys live under Patroni's default /service"),
            Setting.owned("restapi", "the harness's observers, HAProxy checks and faults use each node's REST API on port 8008"),
            Setting.owned("etcd3", "the DCS is the harness's own etcd (dcs.members); its hosts are the harness's"),
            Setting.owned("etcd", "the DCS is the harness's own etcd (dcs.members); its hosts are the harness's"),
            Setting.owned("consul", "the DCS is the harness's own etcd (dcs.members)"),
            Setting.owned("zookeeper", "the DCS is the harness's own etcd (dcs.members)"),
            Setting.owned("kubernetes", "the DCS is the harness's own etcd (dcs.members)"),
            Setting.owned("raft", "the DCS is the harness's own etcd (dcs.members)"),
            Setting.owned("exhibitor", "the DCS is the harness's own etcd (dcs.members)"),
            Setting.owned("authentication", "the harness creates the superuser, replication and application users "
                    + "and keeps their passwords out of files and logs"),
            Setting.owned("listen", "PostgreSQL listens on 0.0.0.0:5432 in its container"),
            Setting.owned("connect_address", "members reach each other by container name"),
            Setting.owned("data_dir", "the data directory is the harness's volume (nodes[].data_volume sizes it)"),
            Setting.owned("bin_dir", "the stack's PostgreSQL binaries (images.postgres_major)"),
            Setting.owned("config_dir", "the configuration lives in the data directory"),
            Setting.owned("pgpass", "a file inside the container"),
            Setting.owned("watchdog", "containers have no /dev/watchdog; the watchdog stays off"),
            Setting.owned("bootstrap", "the harness runs initdb (UTF8, data checksums for pg_rewind)"),
            Setting.owned("initdb", "the harness runs initdb (UTF8, data checksums for pg_rewind)"),
            Setting.owned("callbacks", "no user scripts exist in the harness's containers"),
            Setting.elsewhere("postgresql", "PostgreSQL parameters go in the topology's top-level postgresql: "
                    + "section; pg_hba, use_slots, use_pg_rewind directly under patroni:"),
            Setting.elsewhere("parameters", "PostgreSQL parameters go in the topology's top-level postgresql: section"),
            Setting.elsewhere("tags", "tags are per node: nodes[].tags"),
            Setting.elsewhere("standby_cluster", "a standby cluster is not a patroni: key in a topology")));

    static final SettingCatalog TAGS = new SettingCatalog("Patroni", Stack::patroni, List.of(
            Setting.of("nofailover", BOOLEAN, "this node may never become leader"),
            Setting.integer("failover_priority", 0, Integer.MAX_VALUE,
                    "preference among equally advanced candidates; 0 = never leader (like nofailover)").since("3.2.0"),
            Setting.of("clonefrom", BOOLEAN, "other nodes prefer this one as the source of their base backup"),
            Setting.of("noloadbalance", BOOLEAN, "GET /replica answers 503, so the read-only port skips the node"),
            Setting.of("replicatefrom", TEXT, "stream WAL from this node instead of the leader (cascading)"),
            Setting.of("nosync", BOOLEAN, "never chosen as a synchronous standby"),
            Setting.of("nostream", BOOLEAN, "no streaming replication: WAL only from the archive and pg_wal").since("3.3.0")));

    /**
     * PostgreSQL parameters the harness or Patroni owns, with the reason (the {@code postgresql:} section
     * takes every other GUC as written). Patroni sets listen_addresses, port, cluster_name, hot_standby and
     * the recovery parameters itself ({@code patroni/postgresql/config.py} CMDLINE_OPTIONS and
     * {@code build_recovery_params}); the harness owns the files and the socket its tools use.
     */
    static final Map<String, String> OWNED_PARAMETERS = ownedParameters();

    private PatroniCatalog() {}

    private static Map<String, String> ownedParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("listen_addresses", "Patroni sets it from its postgresql.listen (0.0.0.0 in the container)");
        m.put("port", "Patroni sets it from its postgresql.listen; HAProxy, PgBouncer and the observers use 5432");
        m.put("data_directory", "the data directory is the harness's volume");
        m.put("config_file", "Patroni writes postgresql.conf in the data directory");
        m.put("hba_file", "Patroni writes pg_hba.conf from the harness's lines and patroni.pg_hba");
        m.put("ident_file", "Patroni writes pg_ident.conf from patroni.pg_ident");
        m.put("unix_socket_directories", "the harness's tools (psql in fault injection) use /tmp");
        m.put("cluster_name", "Patroni sets it to the scope, the topology's name");
        m.put("hot_standby", "Patroni always runs replicas with hot_standby on");
        m.put("synchronous_standby_names", "Patroni manages it (patroni.synchronous_mode, synchronous_node_count)");
        m.put("primary_conninfo", "Patroni writes it for each replica from the leader or replicatefrom");
        m.put("primary_slot_name", "Patroni writes it from the member's slot");
        m.put("recovery_target_timeline", "Patroni writes it (latest)");
        m.put("pgcert.node", "the harness sets it on each node so a client can tell which node served it");
        return Map.copyOf(m);
    }

    private static Map<String, Object> slotSchema(boolean permanent) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (!permanent) {
            props.put("name", Map.of("type", "string"));
        }
        props.put("type", Map.of("enum", List.of("physical", "logical")));
        props.put("database", Map.of("type", "string"));
        props.put("plugin", Map.of("type", "string"));
        return Map.of("type", "object", "additionalProperties", false, "properties", props);
    }

    /** The harness-owned reason for a PostgreSQL parameter, if it owns it. */
    static Optional<String> ownedParameter(String name) {
        return Optional.ofNullable(OWNED_PARAMETERS.get(name));
    }
}
