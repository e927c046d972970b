package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "Ready" means what a user would check by hand: the intended node leads; every replica streams from
 * the upstream the topology names (seen on that upstream's pg_stat_replication, since Patroni 3.0's
 * /cluster says "running" for a replica that is not streaming too); and a row written through the
 * read-write endpoint can be read back through the read-only endpoint.
 */
final class ClusterReadiness {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final AtomicLong PROBE_IDS = new AtomicLong(System.currentTimeMillis());

    private final PatroniCluster cluster;
    private final Topology topology;
    private final Credentials credentials;
    private final Duration budget;

    ClusterReadiness(PatroniCluster cluster) {
        this.cluster = cluster;
        this.topology = cluster.topology();
        this.credentials = cluster.credentials();
        this.budget = topology.startupTimeout();
    }

    void awaitLeader(String expected) {
        Waits.until(expected + " to bootstrap and lead cluster " + topology.name(), budget, POLL, () -> {
            ClusterView view = cluster.rest(expected).cluster();
            boolean done = view.leader().filter(l -> l.name().equals(expected) && l.isRunning()).isPresent();
            return new Waits.Probe(done, view.summary());
        });
    }

    /** The database and the application role; the role gets only CONNECT here, tables grant the rest. */
    void createApplicationDatabase() {
        String leader = cluster.clusterView().leader().orElseThrow().name();
        String url = Endpoints.jdbcUrl(cluster.node(leader).postgresPort(), "postgres", false);
        try (Connection c = Endpoints.connect(url, credentials.superuser(), credentials.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Credentials.DATABASE);
            s.execute("CREATE ROLE " + credentials.appUser() + " LOGIN PASSWORD '" + credentials.appPassword() + "'");
            s.execute("GRANT CONNECT ON DATABASE " + Credentials.DATABASE + " TO " + credentials.appUser());
        } catch (SQLException e) {
            throw new IllegalStateException("creating the application database on " + leader + " failed: " + e.getMessage(), e);
        }
        try (Connection c = Endpoints.connect(cluster.nodeJdbcUrl(leader), credentials.superuser(), credentials.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pgcert_probe (id bigint PRIMARY KEY, written_on text NOT NULL)");
            s.execute("GRANT SELECT, INSERT ON pgcert_probe TO " + credentials.appUser());
        } catch (SQLException e) {
            throw new IllegalStateException("creating the probe table on " + leader + " failed: " + e.getMessage(), e);
        }
    }

    void awaitReplicasStreaming() {
        String leader = cluster.clusterView().leader().orElseThrow().name();
        for (Topology.Node node : topology.nodes()) {
            if (node.name().equals(leader)) {
                continue;
            }
            String upstream = node.replicateFrom().orElse(leader);
            Waits.until(node.name() + " to stream from " + upstream + " (" + upstream + "'s pg_stat_replication)", budget, POLL,
                    () -> streamsFrom(node.name(), upstream));
        }
    }

    /** Whether {@code replica} shows as streaming in {@code upstream}'s pg_stat_replication. */
    private Waits.Probe streamsFrom(String replica, String upstream) {
        try {
            Map<String, String> states = cluster.replication().states(upstream);
            return new Waits.Probe("streaming".equals(states.get(replica)), upstream + " pg_stat_replication: " + states);
        } catch (SQLException e) {
            return Waits.Probe.notYet(upstream + " unreachable: " + e.getMessage());
        }
    }

    /** A row through read-write, read back through read-only: PgBouncer and HAProxy both route. */
    void awaitRouting() {
        Endpoints endpoints = cluster.endpoints();
        long id = PROBE_IDS.incrementAndGet();
        boolean writesFollowLeader = topology.router().readWrite().fixedNode().isEmpty();
        if (writesFollowLeader) {
            Waits.until("a write through the read-write endpoint", budget, POLL, () -> {
                try (Connection c = appConnection(endpoints.readWriteUrl()); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO pgcert_probe VALUES (" + id + ", current_setting('pgcert.node')) ON CONFLICT DO NOTHING");
                    return Waits.Probe.done("written");
                } catch (SQLException e) {
                    return Waits.Probe.notYet(e.getMessage());
                }
            });
        }
        Waits.until("a read through the read-only endpoint", budget, POLL, () -> {
            try (Connection c = appConnection(endpoints.readOnlyUrl()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('pgcert.node'), pg_is_in_recovery(), "
                         + "(SELECT count(*) FROM pgcert_probe WHERE id = " + id + ")")) {
                rs.next();
                boolean rowVisible = !writesFollowLeader || rs.getLong(3) == 1;
                return new Waits.Probe(rowVisible, "served by " + rs.getString(1) + (rs.getBoolean(2) ? " (replica)" : " (primary)")
                        + (rowVisible ? "" : ", probe row not visible yet"));
            } catch (SQLException e) {
                return Waits.Probe.notYet(e.getMessage());
            }
        });
    }

    private Connection appConnection(String url) throws SQLException {
        return Endpoints.connect(url, credentials.appUser(), credentials.appPassword());
    }
}
