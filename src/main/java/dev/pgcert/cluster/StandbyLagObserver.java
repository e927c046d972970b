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
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The standby cluster's distance from the primary cluster and its role, asked of PostgreSQL on both
 * sides (Patroni's {@code /cluster} lag is refreshed once per loop): the primary's
 * {@code pg_current_wal_lsn()} against the standby leader's {@code pg_last_wal_replay_lsn()} (bytes), the
 * age of the standby leader's last replayed commit while bytes are outstanding (seconds), and
 * {@code pg_is_in_recovery()} (false once promoted: writable). One {@code standby-lag} event per change.
 */
final class StandbyLagObserver extends Observer {
    private static final String STANDBY_SQL = "SELECT pg_is_in_recovery(), "
            + "(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text, "
            + "extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())";
    private final PatroniCluster primary;
    private final StandbyClusterNodes standby;
    private String standbyLeader;
    private String primaryLeader;
    private Connection standbyConnection;
    private Connection primaryConnection;

    StandbyLagObserver(PatroniCluster primary, StandbyClusterNodes standby, Consumer<Event> sink, Duration period) {
        super("standby-lag", sink, period);
        this.primary = primary;
        this.standby = standby;
    }

    @Override
    void poll() {
        Map<String, Object> v = new LinkedHashMap<>();
        try {
            if (standbyConnection == null) {
                standbyLeader = standby.leaderIfAny().orElseThrow(() -> new SQLException("the standby cluster has no leader"));
                standbyConnection = connect(standby.nodeJdbcUrl(standbyLeader));
            }
            v.put("leader", standbyLeader);
            boolean inRecovery;
            long replayed;
            Double replayAge;
            try (Statement s = standbyConnection.createStatement(); ResultSet rs = s.executeQuery(STANDBY_SQL)) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                replayed = lsn(rs.getString(2));
                double age = rs.getDouble(3);
                replayAge = rs.wasNull() ? null : age;
            }
            v.put("reachable", true);
            v.put("in_recovery", inRecovery);
            Optional<Long> primaryLsn = inRecovery ? primaryLsn() : Optional.empty();
            primaryLsn.ifPresent(p -> {
                long bytes = Math.max(0, p - replayed);
                v.put("lag_bytes", bytes);
                v.put("lag_seconds", bytes == 0 || replayAge == null ? 0.0 : Math.max(0, replayAge));
            });
            observe("standby", Event.Fn.STANDBY_LAG, List.of(true, inRecovery, standbyLeader,
                    String.valueOf(v.get("lag_bytes")), primaryLsn.isPresent()), v);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(standbyConnection);
            standbyConnection = null;
            v.put("reachable", false);
            v.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            observe("standby", Event.Fn.STANDBY_LAG, List.of(false), v);
        }
    }

    /** The primary cluster's current WAL position; empty while no primary answers (the site is lost). */
    private Optional<Long> primaryLsn() {
        try {
            if (primaryConnection == null) {
                primaryLeader = primary.clusterView().leader().map(ClusterView.Member::name).orElse(null);
                if (primaryLeader == null) {
                    return Optional.empty();
                }
                primaryConnection = connect(primary.nodeJdbcUrl(primaryLeader));
            }
            try (Statement s = primaryConnection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), pg_current_wal_lsn()::text")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new SQLException(primaryLeader + " is no longer the primary");
                }
                return Optional.of(lsn(rs.getString(2)));
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(primaryConnection);
            primaryConnection = null;
            return Optional.empty();
        }
    }

    /** An LSN such as {@code 0/3000148} as a byte position. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
    }

    private Connection connect(String url) throws SQLException {
        Credentials c = primary.credentials();
        Connection conn = DriverManager.getConnection(url, jdbcProperties(c.superuser(), c.superuserPassword()));
        conn.setAutoCommit(true);
        return conn;
    }

    @Override
    void closeResources() {
        closeQuietly(standbyConnection);
        closeQuietly(primaryConnection);
        standbyConnection = null;
        primaryConnection = null;
    }
}
