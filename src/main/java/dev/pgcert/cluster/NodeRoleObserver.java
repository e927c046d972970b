package dev.pgcert.cluster;

import dev.pgcert.history.Event;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * One node's own word on its role: {@code pg_is_in_recovery()} and, out of recovery, the timeline
 * of the WAL it writes ({@code pg_walfile_name(pg_current_wal_lsn())}), asked of PostgreSQL
 * directly. One {@code node-role} event per change: {node, reachable, in_recovery, timeline, error}.
 *
 * <p>PostgreSQL rather than Patroni's REST {@code /patroni}: Patroni reports the role it set when it
 * asked for the promotion and refreshes its view once per HA loop, while the server's answer flips
 * the instant recovery ends and the new timeline begins, which is the stage being timed.
 */
final class NodeRoleObserver extends Observer {
    private static final String SQL = "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN NULL "
            + "ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END";
    private final String node;
    private final String url;
    private final Credentials credentials;
    private Connection connection;

    NodeRoleObserver(String node, String url, Credentials credentials, Consumer<Event> sink, Duration period) {
        super("node-" + node, sink, period);
        this.node = node;
        this.url = url;
        this.credentials = credentials;
    }

    @Override
    void poll() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("node", node);
        try {
            if (connection == null) {
                connection = connect();
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SQL)) {
                rs.next();
                boolean inRecovery = rs.getBoolean(1);
                String tli = rs.getString(2);
                v.put("reachable", true);
                v.put("in_recovery", inRecovery);
                if (tli != null) {
                    v.put("timeline", Integer.parseUnsignedInt(tli, 16));
                }
                observe(node, Event.Fn.NODE_ROLE, List.of(true, inRecovery, String.valueOf(tli)), v);
            }
        } catch (SQLException | RuntimeException e) {
            closeResources();
            v.put("reachable", false);
            v.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            observe(node, Event.Fn.NODE_ROLE, List.of(false), v);
        }
    }

    private Connection connect() throws SQLException {
        Properties p = jdbcProperties(credentials.superuser(), credentials.superuserPassword());
        Connection c = DriverManager.getConnection(url, p);
        c.setAutoCommit(true);
        return c;
    }

    @Override
    void closeResources() {
        closeQuietly(connection);
        connection = null;
    }
}
