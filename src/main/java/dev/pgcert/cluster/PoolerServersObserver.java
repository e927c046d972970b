package dev.pgcert.cluster;

import dev.pgcert.history.Event;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * PgBouncer's server connections, from its admin console ({@code SHOW SERVERS} on the
 * {@code pgbouncer} pseudo-database, as the run's {@code stats_users} member, simple query protocol,
 * replication mode so that PgJDBC sends no SET the console would refuse).
 * One {@code pooler-servers} event per database when its set of server connections changes (a
 * connection opened or closed; a connection switching between active and idle is no change):
 * {database, servers: [{remote_pid, state, connect_time}]}.
 *
 * <p>PgBouncer reaches PostgreSQL through the router, so {@code addr} is the router's: which node a
 * server connection ends on is not in this view. A server connection opened after the router marked
 * the new primary up can only end there, which is how the stage checker reads it.
 */
final class PoolerServersObserver extends Observer {
    private final String url;
    private final Credentials credentials;
    private Connection connection;

    PoolerServersObserver(int port, Credentials credentials, Consumer<Event> sink, Duration period) {
        super("pooler", sink, period);
        this.url = "jdbc:postgresql://127.0.0.1:" + port + "/pgbouncer?preferQueryMode=simple";
        this.credentials = credentials;
    }

    @Override
    void poll() {
        Map<String, List<Map<String, Object>>> byDb = new TreeMap<>();
        byDb.put(Credentials.DATABASE, new ArrayList<>());
        try {
            if (connection == null) {
                connection = connect();
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW SERVERS")) {
                ResultSetMetaData md = rs.getMetaData();
                Map<String, Integer> col = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    col.put(md.getColumnLabel(i), i);
                }
                while (rs.next()) {
                    String db = rs.getString(col.get("database"));
                    Map<String, Object> server = new LinkedHashMap<>();
                    server.put("remote_pid", col.containsKey("remote_pid") ? rs.getString(col.get("remote_pid")) : null);
                    server.put("state", rs.getString(col.get("state")));
                    server.put("connect_time", rs.getString(col.get("connect_time")));
                    byDb.computeIfAbsent(db, k -> new ArrayList<>()).add(server);
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeResources();
            return; // PgBouncer unreachable: no observation
        }
        byDb.forEach((db, servers) -> {
            TreeSet<String> ids = new TreeSet<>();
            servers.forEach(s -> ids.add(s.get("remote_pid") + "@" + s.get("connect_time")));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("database", db);
            v.put("servers", servers);
            observe(db, Event.Fn.POOLER_SERVERS, ids, v);
        });
    }

    private Connection connect() throws SQLException {
        Properties p = jdbcProperties(credentials.appUser(), credentials.appPassword());
        p.setProperty("replication", "database"); // no SET after login: see PoolerConfig.ini
        return DriverManager.getConnection(url, p);
    }

    @Override
    void closeResources() {
        closeQuietly(connection);
        connection = null;
    }
}
