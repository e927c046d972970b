package dev.pgcert.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one reader of an upstream's {@code pg_stat_replication}: who replicates from a node, by application
 * name (Patroni sets it to the node's name), and in which state. Read from PostgreSQL itself, since
 * Patroni 3.0's /cluster says "running" for a replica that does not stream.
 */
public final class Replication {
    private final RunContainers containers;
    private final Credentials credentials;

    Replication(RunContainers containers, Credentials credentials) {
        this.containers = containers;
        this.credentials = credentials;
    }

    /** Application name to state (streaming, catchup, ...) for every walsender of {@code upstream}. */
    public Map<String, String> states(String upstream) throws SQLException {
        Map<String, String> states = new TreeMap<>();
        try (Connection c = Endpoints.connect(adminUrl(upstream), credentials.superuser(), credentials.superuserPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name, state FROM pg_stat_replication")) {
            while (rs.next()) states.put(rs.getString(1), rs.getString(2));
        }
        return states;
    }

    /** The nodes streaming from {@code upstream}; none when it cannot be reached. */
    public Set<String> streamingFrom(String upstream) {
        try {
            return states(upstream).entrySet().stream().filter(e -> "streaming".equals(e.getValue()))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        } catch (SQLException e) {
            return Set.of();
        }
    }

    /** JDBC URL of one node's PostgreSQL in the {@code postgres} database, which exists before the application's. */
    String adminUrl(String node) {
        return Endpoints.jdbcUrl(containers.node(node).postgresPort(), "postgres", false);
    }
}
