package dev.pgcert.cluster;

import dev.pgcert.history.Event;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How far the archive trails the primary, from {@code pg_stat_archiver}: one {@code archive} event per poll on
 * whichever node is out of recovery, {node, lag_bytes, lag_seconds, archived_count, failed_count,
 * last_archived_wal, last_failed_wal}. {@code lag_bytes} is the WAL written past the end of the last archived
 * segment; {@code lag_seconds} is how long the archive has not advanced while such WAL waits (0 when none does);
 * both are absent until a first segment is archived.
 * Every poll is recorded, not only changes: the lag grows without its inputs changing.
 */
final class ArchiveObserver extends Observer {
    static final String FN = "archive";
    private static final String SQL = "SELECT pg_is_in_recovery(), "
            + "CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') END, "
            + "last_archived_wal, extract(epoch FROM now() - coalesce(last_archived_time, stats_reset)), "
            + "archived_count, failed_count, last_failed_wal, "
            + "(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size') FROM pg_stat_archiver";

    private final String node;
    private final String url;
    private final Credentials credentials;
    private final Consumer<Event> sink;
    private Connection connection;

    ArchiveObserver(String node, String url, Credentials credentials, Consumer<Event> sink, Duration period) {
        super("archive-" + node, sink, period);
        this.node = node;
        this.url = url;
        this.credentials = credentials;
        this.sink = sink;
    }

    @Override
    void poll() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, jdbcProperties(credentials.superuser(), credentials.superuserPassword()));
                connection.setAutoCommit(true);
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SQL)) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return; // a replica: its archiver does not run (archive_mode on, not always)
                }
                long current = rs.getLong(2);
                String lastArchived = rs.getString(3);
                long segmentSize = rs.getLong(8);
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("node", node);
                if (lastArchived != null && !lastArchived.contains(".history")) {
                    // Before the first archived segment the position alone says nothing about the archive.
                    long lagBytes = Math.max(0, current - segmentEnd(lastArchived, segmentSize));
                    v.put("lag_bytes", lagBytes);
                    v.put("lag_seconds", lagBytes == 0 ? 0.0 : rs.getDouble(4));
                }
                v.put("archived_count", rs.getLong(5));
                v.put("failed_count", rs.getLong(6));
                v.put("last_archived_wal", lastArchived);
                v.put("last_failed_wal", rs.getString(7));
                sink.accept(new Event(System.nanoTime(), PROCESS, Event.Type.INFO, FN, v));
            }
        } catch (SQLException | RuntimeException e) {
            closeResources();
        }
    }

    /**
     * The LSN just past the end of a WAL segment named {@code TTTTTTTTXXXXXXXXYYYYYYYY} (timeline, log, segment),
     * as a byte position. A {@code .partial} or {@code .history} name yields its segment's end or 0.
     */
    static long segmentEnd(String walName, long segmentSize) {
        if (walName.length() < 24 || walName.contains(".history")) {
            return 0;
        }
        long log = Long.parseLong(walName.substring(8, 16), 16);
        long seg = Long.parseLong(walName.substring(16, 24), 16);
        long segmentsPerLog = 0x1_0000_0000L / segmentSize;
        return (log * segmentsPerLog + seg + 1) * segmentSize;
    }

    @Override
    void closeResources() {
        closeQuietly(connection);
        connection = null;
    }
}
