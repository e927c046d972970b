package dev.pgcert.cluster;

import dev.pgcert.history.Event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the cluster during a run and records what it sees on the history's clock: Patroni's
 * {@code /cluster} (and every leader change), and per replica its replay position against the
 * leader's WAL position plus the upstream's pg_stat_replication row. Each node is sampled by its
 * own task, so a frozen or partitioned node delays only its own samples.
 */
public final class ClusterSampler implements AutoCloseable {
    private static final String PROCESS = "sampler";

    private final PatroniCluster cluster;
    private final Consumer<Event> sink;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private volatile String leader;
    private volatile Long leaderLsn;
    private volatile List<Object> lastLeaderConfig;

    public ClusterSampler(PatroniCluster cluster, Consumer<Event> sink, Duration interval) {
        this.cluster = cluster;
        this.sink = sink;
        this.interval = interval;
        this.executor = Executors.newScheduledThreadPool(cluster.nodes().size() + 1, r -> {
            Thread t = new Thread(r, "pgcert-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    public ClusterSampler start() {
        long period = interval.toMillis();
        executor.scheduleAtFixedRate(this::sampleCluster, 0, period, TimeUnit.MILLISECONDS);
        for (String node : cluster.nodes().keySet()) {
            executor.scheduleAtFixedRate(() -> sampleNode(node), period / 2, period, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** The leader as last sampled from Patroni's {@code /cluster} ("none" while it names none). */
    public String leader() {
        String now = leader;
        return now == null ? "none" : now;
    }

    private void sampleCluster() {
        ClusterView view;
        try {
            view = cluster.clusterView();
        } catch (RuntimeException e) {
            return; // no REST API answers right now: the gap in samples is itself the evidence
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (ClusterView.Member m : view.members()) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("name", m.name());
            member.put("role", m.role());
            member.put("state", m.state());
            m.timeline().ifPresent(t -> member.put("timeline", t));
            m.lag().ifPresent(l -> member.put("lag", l));
            members.add(member);
        }
        String now = view.leader().map(ClusterView.Member::name).orElse(null);
        Map<String, Object> value = new HashMap<>();
        value.put("leader", now);
        value.put("members", members);
        record(Event.Fn.CLUSTER, value);
        if (!Objects.equals(now, leader)) {
            Map<String, Object> change = new HashMap<>();
            change.put("from", leader);
            change.put("to", now);
            view.leader().flatMap(ClusterView.Member::timeline).ifPresent(t -> change.put("timeline", t));
            record(Event.Fn.LEADER, change);
            leader = now;
        }
    }

    private void sampleNode(String node) {
        try {
            Connection c = connection(node);
            try (Statement s = c.createStatement()) {
                if (node.equals(leader)) {
                    try (ResultSet rs = s.executeQuery(LEADER_SQL)) {
                        rs.next();
                        leaderLsn = rs.getLong(1);
                        leaderConfig(node, rs.getString(2), rs.getString(3));
                    }
                } else {
                    sampleReplica(node, s);
                }
                sampleDownstreams(node, s);
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connections.remove(node));
        }
    }

    /** The leader's WAL position, synchronous_standby_names and replication slots, in one round trip. */
    private static final String LEADER_SQL = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, current_setting('synchronous_standby_names'), "
            + "(SELECT coalesce(string_agg(slot_name, ',' ORDER BY slot_name), '') FROM pg_replication_slots)";

    /** Records the leader's settings when they differ from the last recorded (a new leader always differs). */
    private void leaderConfig(String node, String syncNames, String slots) {
        List<String> slotList = slots == null || slots.isEmpty() ? List.of() : List.of(slots.split(","));
        List<Object> now = List.of(node, String.valueOf(syncNames), slotList);
        if (now.equals(lastLeaderConfig)) {
            return;
        }
        lastLeaderConfig = now;
        Map<String, Object> value = new HashMap<>();
        value.put("node", node);
        value.put("synchronous_standby_names", syncNames);
        value.put("slots", slotList);
        record(Event.Fn.LEADER_CONFIG, value);
    }

    private void sampleReplica(String node, Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            Long primary = leaderLsn;
            if (!rs.getBoolean(1) || primary == null) {
                return;
            }
            long replay = rs.getLong(2);
            Map<String, Object> value = new HashMap<>();
            value.put("replica", node);
            value.put("replay_lsn", replay);
            value.put("lag_bytes", Math.max(0, primary - replay));
            record("replay", value);
        }
    }

    /** This node's pg_stat_replication: one LAG event per replica streaming from it (a cascade hop when it is a replica). */
    private void sampleDownstreams(String node, Statement s) throws SQLException {
        String sql = """
                SELECT application_name,
                       (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END) - '0/0'::pg_lsn,
                       sent_lsn - '0/0'::pg_lsn, write_lsn - '0/0'::pg_lsn, flush_lsn - '0/0'::pg_lsn, replay_lsn - '0/0'::pg_lsn,
                       EXTRACT(EPOCH FROM replay_lag) * 1000, state, sync_state
                FROM pg_stat_replication""";
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> value = new HashMap<>();
                value.put("upstream", node);
                value.put("replica", rs.getString(1));
                long upstreamLsn = rs.getLong(2);
                value.put("sent_lsn", rs.getLong(3));
                value.put("write_lsn", rs.getLong(4));
                value.put("flush_lsn", rs.getLong(5));
                long replay = rs.getLong(6);
                value.put("replay_lsn", replay);
                value.put("lag_bytes", rs.wasNull() ? null : Math.max(0, upstreamLsn - replay));
                double replayLagMs = rs.getDouble(7);
                // NULL replay_lag means no recent activity to time, which is no lag.
                value.put("replay_lag_ms", rs.wasNull() ? 0.0 : replayLagMs);
                value.put("state", rs.getString(8));
                value.put("sync_state", rs.getString(9));
                record(Event.Fn.LAG, value);
            }
        }
    }

    private Connection connection(String node) throws SQLException {
        Connection c = connections.get(node);
        if (c == null) {
            Credentials cred = cluster.credentials();
            c = Endpoints.connect(cluster.nodeJdbcUrl(node), cred.superuser(), cred.superuserPassword());
            c.setAutoCommit(true);
            connections.put(node, c);
        }
        return c;
    }

    private void record(String f, Map<String, Object> value) {
        sink.accept(new Event(System.nanoTime(), PROCESS, Event.Type.INFO, f, value));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.values().forEach(ClusterSampler::closeQuietly);
        connections.clear();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken: that is why it is being closed
            }
        }
    }
}
