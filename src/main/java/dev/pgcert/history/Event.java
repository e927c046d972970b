package dev.pgcert.history;

import java.util.Map;

/**
 * One record of a run's history, in Jepsen's shape: a client operation is an INVOKE followed by
 * one completion (OK, FAIL, or INFO when its outcome is unknown); faults and cluster observations
 * are INFO events on the same timeline.
 *
 * <p>{@code nanos} is {@link System#nanoTime()} of the JVM that recorded it. On Linux that is
 * CLOCK_MONOTONIC, one clock for every process on the host, so the load's child JVM, the fault
 * injector and the samplers all record on the same clock without any offset.
 *
 * @param nanos   monotonic time, host-wide
 * @param process who recorded it: a load worker ("w3"), "nemesis", "sampler", "checker"
 * @param type    INVOKE, OK, FAIL or INFO
 * @param f       what it was: write, read, transfer, balance, fault, cluster, leader, lag, final-read, ...
 * @param value   the details; keys per {@code f} are listed in {@link Fn}
 */
public record Event(long nanos, String process, Type type, String f, Map<String, Object> value) {

    public Event {
        value = value == null ? Map.of() : value;
    }

    public enum Type { INVOKE, OK, FAIL, INFO }

    /**
     * The {@code f} values and the keys their {@code value} maps carry. Times in the value maps are
     * milliseconds unless the key says otherwise; LSNs are bytes as numbers.
     */
    public static final class Fn {
        /**
         * INVOKE {key, endpoint}; OK {key, node, timeline}; FAIL/INFO {key, error, sqlstate}.
         * {@code timeline} must be the node's live timeline at commit (e.g. from
         * {@code pg_walfile_name(pg_current_wal_lsn())}); {@code pg_control_checkpoint()} lags a
         * promotion until the next checkpoint, and the split-brain checker orders nodes by timeline.
         * FAIL means the write certainly did not happen; an ambiguous error (connection lost during
         * commit) is INFO.
         */
        public static final String WRITE = "write";
        /**
         * One COPY batch of a bulk load (load.BulkOperation): INVOKE {key_from, key_to, rows, endpoint} (keys inclusive);
         * OK {key_from, key_to, rows, node}; FAIL/INFO {key_from, key_to, rows, error, sqlstate}.
         */
        public static final String BULK = "bulk";
        /** INVOKE {endpoint}; OK {node, in_recovery, max_key, acked_max_key}; FAIL/INFO {error, sqlstate}. */
        public static final String READ = "read";
        /** INVOKE {from, to, amount}; OK/FAIL/INFO {error, sqlstate} on failure. */
        public static final String TRANSFER = "transfer";
        /** OK {total, node}: a read of the sum of all bank balances. */
        public static final String BALANCE = "balance";
        /**
         * A list-append transaction (load.ListAppendOperation): INVOKE {txn: [[f, key, value], ..], isolation, endpoint},
         * f "append" (value: the element appended) or "r" (value null); OK {txn with each read's value the list it saw,
         * isolation, node}; FAIL/INFO {txn as invoked, isolation, error, sqlstate}.
         */
        public static final String TXN = "txn";
        /** INFO {accounts, total_expected}: the bank's set-up; the sum every balance read must show. */
        public static final String BANK_SETUP = "bank-setup";
        /** INFO {id, kind, phase: "start"|"end", target, detail}: a fault window edge. */
        public static final String FAULT = "fault";
        /** INFO {id, name, phase: "start"|"end"}: a scenario phase edge (warm-up, fault, hold, heal, settle). */
        public static final String PHASE = "phase";
        /** INFO {leader, members: [{name, role, state, timeline, lag}]}: one Patroni /cluster sample. */
        public static final String CLUSTER = "cluster";
        /** INFO {from, to, timeline}: the DCS leader changed (from or to may be null: no leader). */
        public static final String LEADER = "leader";
        /**
         * INFO {upstream, replica, sent_lsn, write_lsn, flush_lsn, replay_lsn, lag_bytes, replay_lag_ms,
         * state, sync_state}: one row of the upstream's pg_stat_replication, i.e. one replication hop.
         */
        public static final String LAG = "lag";
        /**
         * INFO {node, synchronous_standby_names, slots: [slot names]}: the leader's own settings as sampled, recorded
         * when they change (and for each new leader).
         */
        public static final String LEADER_CONFIG = "leader-config";
        /** INFO {replica, replay_lsn, lag_bytes}: a replica's replay position against the leader's WAL position. */
        public static final String REPLAY = "replay";
        /**
         * OK {node, keys: [..], timeline, lists: {key: [..]}}: every key present on the final primary after the cluster
         * settled ({@code timeline} optional, the final primary's; {@code lists} the list-append table, when it has rows).
         */
        public static final String FINAL_READ = "final-read";

        /** The fresh-connection probe (load.Probe): INVOKE {key, endpoint}; OK {key, node, timeline, connect_ms}; FAIL/INFO {key, error, sqlstate, stage}. Keys are negative. */
        public static final String PROBE_WRITE = "probe-write";
        /** The probe on the read-only endpoint: INVOKE {endpoint}; OK {node, in_recovery, connect_ms}; FAIL {error, sqlstate, stage}. */
        public static final String PROBE_READ = "probe-read";
        /** INFO {per_second, <process>.attempts, <process>.skipped}: written when the probe stops; skipped ticks are not operations. */
        public static final String PROBE_SUMMARY = "probe-summary";
        /** INFO {holder, revision, lease}: Patroni's leader key in etcd as polled; holder null when the key is absent. */
        public static final String DCS_LEADER_KEY = "dcs-leader-key";
        /** INFO {node, reachable, in_recovery, timeline, error}: a node's own answer, recorded when it changes. */
        public static final String NODE_ROLE = "node-role";
        /** INFO {backend, server, status, check}: HAProxy's status of one server of a backend, recorded when it changes. */
        public static final String ROUTER_SERVER = "router-server";
        /** INFO {database, servers: [{state, remote_pid, connect_time}]}: PgBouncer's SHOW SERVERS for one database, when it changes. */
        public static final String POOLER_SERVERS = "pooler-servers";
        /**
         * INFO {leader, reachable, in_recovery, lag_bytes, lag_seconds, error}: the standby cluster's leader,
         * how far it is behind the primary cluster's primary (bytes of WAL not replayed yet; seconds since the
         * last replayed commit while the primary has more), and whether it is out of recovery (writable).
         */
        public static final String STANDBY_LAG = "standby-lag";
        /**
         * INFO {ttl, loop_wait, retry_timeout, router_inter, router_fall, router_rise, router_timeout_check,
         * pooler, server_login_retry, server_connect_timeout, probe_per_second, probe_connect_timeout,
         * probe_socket_timeout, pool_connection_timeout, pool_socket_timeout, pool_connect_timeout,
         * pool_login_timeout, pool_validation_timeout, observer_period}: the timing settings a failover's
         * stages depend on (seconds), recorded once at the start, so predictions are a function of the history.
         */
        public static final String FAILOVER_SETTINGS = "failover-settings";

        private Fn() {}
    }
}
