package dev.pgcert.topology;

import static dev.pgcert.topology.Setting.Kind.DURATION;
import static dev.pgcert.topology.Setting.Kind.TEXT;

import java.util.List;

/**
 * Every setting of pgbouncer.ini's {@code [pgbouncer]} section, per PgBouncer version. Generated from
 * PgBouncer's own key table, {@code static const struct CfKey bouncer_params[]} in {@code src/main.c}
 * at tags {@code pgbouncer_1_18_0} (stack bookworm) and {@code pgbouncer_1_24_1} (stack trixie) of
 * github.com/pgbouncer/pgbouncer, with each key's type and default from that table: CF_INT/CF_UINT are
 * integers, CF_TIME_USEC durations (written to the ini as seconds, which both versions read),
 * CF_LOOKUP enums ({@code pool_mode_map}, {@code sslmode_map}), CF_STR text. The first version of each
 * key missing from 1.18 was read from the tags in between (1.19.0 ... 1.24.0). Keys the harness must own
 * for its containers, its authentication and its observers are refused with the reason.
 */
final class PgBouncerCatalog {

    static final SettingCatalog SETTINGS = new SettingCatalog("PgBouncer", Stack::pgbouncer, List.of(
            Setting.owned("admin_users", "the admin console is the harness's (its observers read SHOW SERVERS)"),
            Setting.integer("application_name_add_host", 0, Integer.MAX_VALUE, "default 0"),
            Setting.owned("auth_dbname", "the harness authenticates clients with scram-sha-256 against its own userlist"),
            Setting.owned("auth_file", "the harness writes the userlist (its passwords stay out of files you write)"),
            Setting.owned("auth_hba_file", "the harness authenticates clients with scram-sha-256 against its own userlist"),
            Setting.owned("auth_ident_file", "the harness authenticates clients with scram-sha-256 against its own userlist"),
            Setting.owned("auth_query", "the harness authenticates clients with scram-sha-256 against its own userlist"),
            Setting.owned("auth_type", "the harness authenticates clients with scram-sha-256 against its own userlist"),
            Setting.owned("auth_user", "the harness authenticates clients with scram-sha-256 against its own userlist"),
            Setting.of("autodb_idle_timeout", DURATION, "default 3600s"),
            Setting.of("cancel_wait_timeout", DURATION, "default 10s").since("1.19.0"),
            Setting.of("client_idle_timeout", DURATION, "default 0s"),
            Setting.of("client_login_timeout", DURATION, "default 60s"),
            Setting.owned("client_tls_ca_file", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_cert_file", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_ciphers", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_dheparams", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_ecdhcurve", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_key_file", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_protocols", "the harness's containers carry no TLS certificates"),
            Setting.owned("client_tls_sslmode", "the harness's containers carry no TLS certificates"),
            Setting.owned("conffile", "the harness writes pgbouncer.ini"),
            Setting.integer("default_pool_size", 0, Integer.MAX_VALUE, "default 20"),
            Setting.integer("disable_pqexec", 0, Integer.MAX_VALUE, "default 0"),
            Setting.of("dns_max_ttl", DURATION, "default 15s"),
            Setting.of("dns_nxdomain_ttl", DURATION, "default 15s"),
            Setting.of("dns_zone_check_period", DURATION, "default 0s"),
            Setting.of("idle_transaction_timeout", DURATION, "default 0s"),
            Setting.owned("ignore_startup_parameters", "PgJDBC and the observers need extra_float_digits, options and replication ignored"),
            Setting.owned("job_name", "a Windows service name; the containers run Linux"),
            Setting.owned("listen_addr", "PgBouncer listens on 0.0.0.0 in its container"),
            Setting.integer("listen_backlog", 0, Integer.MAX_VALUE, "default 128"),
            Setting.owned("listen_port", "clients reach PgBouncer on port 6432"),
            Setting.integer("log_connections", 0, Integer.MAX_VALUE, "default 1"),
            Setting.integer("log_disconnections", 0, Integer.MAX_VALUE, "default 1"),
            Setting.integer("log_pooler_errors", 0, Integer.MAX_VALUE, "default 1"),
            Setting.integer("log_stats", 0, Integer.MAX_VALUE, "default 1"),
            Setting.owned("logfile", "PgBouncer logs to the container's output, which the harness collects"),
            Setting.integer("max_client_conn", 0, Integer.MAX_VALUE, "default 100"),
            Setting.integer("max_db_client_connections", 0, Integer.MAX_VALUE, "default 0").since("1.24.0"),
            Setting.integer("max_db_connections", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("max_packet_size", 0, Integer.MAX_VALUE, "default 2147483647"),
            Setting.integer("max_prepared_statements", 0, Integer.MAX_VALUE, "default 200").since("1.21.0"),
            Setting.integer("max_user_client_connections", 0, Integer.MAX_VALUE, "default 0").since("1.24.0"),
            Setting.integer("max_user_connections", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("min_pool_size", 0, Integer.MAX_VALUE, "default 0"),
            Setting.owned("peer_id", "peering needs a [peers] section of other PgBouncers; the harness runs one"),
            Setting.owned("pidfile", "the container runs one PgBouncer in the foreground"),
            Setting.integer("pkt_buf", 0, Integer.MAX_VALUE, "default 4096"),
            Setting.oneOf("pool_mode", List.of("session", "transaction"), "when a server connection returns to the pool (statement mode is refused: the load runs multi-statement transactions); default session"),
            Setting.of("query_timeout", DURATION, "default 0s"),
            Setting.of("query_wait_timeout", DURATION, "default 120s"),
            Setting.integer("reserve_pool_size", 0, Integer.MAX_VALUE, "default 0"),
            Setting.of("reserve_pool_timeout", DURATION, "default 5s"),
            Setting.of("resolv_conf", TEXT, "default ''"),
            Setting.integer("sbuf_loopcnt", 0, Integer.MAX_VALUE, "default 5"),
            Setting.of("server_check_delay", DURATION, "default 30s"),
            Setting.of("server_check_query", TEXT, "default 'select 1'"),
            Setting.of("server_connect_timeout", DURATION, "default 15s"),
            Setting.integer("server_fast_close", 0, Integer.MAX_VALUE, "default 0"),
            Setting.of("server_idle_timeout", DURATION, "default 600s"),
            Setting.of("server_lifetime", DURATION, "default 3600s"),
            Setting.of("server_login_retry", DURATION, "default 15s"),
            Setting.of("server_reset_query", TEXT, "default 'DISCARD ALL'"),
            Setting.integer("server_reset_query_always", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("server_round_robin", 0, Integer.MAX_VALUE, "default 0"),
            Setting.owned("server_tls_ca_file", "the harness's containers carry no TLS certificates"),
            Setting.owned("server_tls_cert_file", "the harness's containers carry no TLS certificates"),
            Setting.of("server_tls_ciphers", TEXT, "default 'default'"),
            Setting.owned("server_tls_key_file", "the harness's containers carry no TLS certificates"),
            Setting.of("server_tls_protocols", TEXT, "default 'secure'"),
            Setting.oneOf("server_tls_sslmode", List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full"), "default prefer"),
            Setting.owned("service_name", "a Windows service name; the containers run Linux"),
            Setting.integer("so_reuseport", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("stats_period", 0, Integer.MAX_VALUE, "default 60"),
            Setting.owned("stats_users", "the harness's failover observer is the stats user (SHOW SERVERS)"),
            Setting.of("suspend_timeout", DURATION, "default 10s"),
            Setting.integer("syslog", 0, Integer.MAX_VALUE, "default 0"),
            Setting.of("syslog_facility", TEXT, "default 'daemon'"),
            Setting.of("syslog_ident", TEXT, "default 'pgbouncer'"),
            Setting.integer("tcp_defer_accept", 0, Integer.MAX_VALUE, "seconds; default set by the platform (45 on Linux)"),
            Setting.integer("tcp_keepalive", 0, Integer.MAX_VALUE, "default 1"),
            Setting.integer("tcp_keepcnt", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("tcp_keepidle", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("tcp_keepintvl", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("tcp_socket_buffer", 0, Integer.MAX_VALUE, "default 0"),
            Setting.integer("tcp_user_timeout", 0, Integer.MAX_VALUE, "default 0"),
            Setting.of("track_extra_parameters", TEXT, "default 'IntervalStyle'").since("1.20.0"),
            Setting.owned("unix_socket_dir", "PgBouncer has no Unix socket in its container"),
            Setting.owned("unix_socket_group", "PgBouncer has no Unix socket in its container"),
            Setting.owned("unix_socket_mode", "PgBouncer has no Unix socket in its container"),
            Setting.owned("user", "the container runs PgBouncer as its own user"),
            Setting.integer("verbose", 0, Integer.MAX_VALUE, "default 0")));

    private PgBouncerCatalog() {}
}
