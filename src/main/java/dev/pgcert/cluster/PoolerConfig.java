package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Renders pgbouncer.ini and its userlist: one database for the read-write port, one for read-only. */
final class PoolerConfig {
    static final int PORT = 6432;
    static final String RO_SUFFIX = "_ro";
    static final int SERVER_CONNECT_TIMEOUT_SECONDS = 2;

    private PoolerConfig() {}

    static String ini(Topology.PgBouncer b, String routerHost) {
        return ini(b, routerHost, null);
    }

    /**
     * With {@code statsUser} allowed the admin console's SHOW commands (stats_users: read-only), for
     * the failover observers' SHOW SERVERS. PgJDBC sends {@code SET extra_float_digits} after login to
     * a server older than 12 (PgBouncer's console reports 1.18.0), which the console refuses and then
     * drops the client; in replication mode it sends no SET, so the observer connects with
     * {@code replication=database} and PgBouncer ignores that start-up parameter.
     */
    static String ini(Topology.PgBouncer b, String routerHost, String statsUser) {
        return ini(b, routerHost, RouterConfig.RW_PORT, routerHost, RouterConfig.RO_PORT, statsUser);
    }

    /**
     * PgBouncer alone in front of the nodes ({@code connect: pgbouncer}): both databases start on the
     * bootstrap node; the leader follower ({@code pgbouncer-follow-leader} in the image) re-points them.
     */
    static String iniDirect(Topology.PgBouncer b, String firstLeader, String statsUser) {
        return ini(b, firstLeader, PatroniConfig.PG_PORT, firstLeader, PatroniConfig.PG_PORT, statsUser);
    }

    private static String ini(Topology.PgBouncer b, String rwHost, int rwPort, String roHost, int roPort, String statsUser) {
        String db = Credentials.DATABASE;
        StringBuilder ini = new StringBuilder("""
                [databases]
                %1$s = host=%2$s port=%3$d dbname=%1$s
                %1$s%4$s = host=%12$s port=%5$d dbname=%1$s
                [pgbouncer]
                listen_addr = 0.0.0.0
                listen_port = %6$d
                unix_socket_dir =
                auth_type = scram-sha-256
                auth_file = /etc/pgbouncer/userlist.txt
                pool_mode = %7$s
                default_pool_size = %8$d
                max_client_conn = %9$d
                server_login_retry = %10$s
                server_connect_timeout = %11$s
                ignore_startup_parameters = extra_float_digits,options,replication
                """.formatted(db, rwHost, rwPort, RO_SUFFIX, roPort, PORT,
                b.poolMode().name().toLowerCase(), b.defaultPoolSize(), b.maxClientConn(),
                // whole seconds, at least 1, as FailoverPrediction assumes
                Math.max(1, b.serverLoginRetry().toSeconds()),
                seconds(serverConnectTimeout(b)), roHost));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("log_connections", 0);
        settings.put("log_disconnections", 0);
        settings.putAll(b.more());
        settings.remove("server_connect_timeout");
        // Every other [pgbouncer] setting of the topology, as validated for the stack's PgBouncer version.
        settings.forEach((key, value) -> ini.append(key).append(" = ").append(value(value)).append('\n'));
        if (statsUser != null) {
            ini.append("stats_users = ").append(statsUser).append('\n');
        }
        return ini.toString();
    }

    /** PgBouncer's server_connect_timeout: the topology's, else the harness's 2 s (PgBouncer's own is 15 s). */
    static Duration serverConnectTimeout(Topology.PgBouncer b) {
        return Optional.ofNullable((Duration) b.more().get("server_connect_timeout"))
                .orElse(Duration.ofSeconds(SERVER_CONNECT_TIMEOUT_SECONDS));
    }

    /** A value as pgbouncer.ini takes it: durations in seconds (PgBouncer 1.18 and 1.24 read fractions). */
    private static String value(Object value) {
        return value instanceof Duration d ? seconds(d) : String.valueOf(value);
    }

    private static String seconds(Duration d) {
        return new BigDecimal(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    static String userlist(Credentials c) {
        return "\"" + c.appUser() + "\" \"" + c.appPassword() + "\"\n";
    }
}
