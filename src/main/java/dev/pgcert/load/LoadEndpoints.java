package dev.pgcert.load;

import java.util.Map;
import java.util.Objects;

/**
 * Where the load connects and as whom. The password only ever travels to the load's JVM in an
 * environment variable; {@link #toString()} leaves it out.
 *
 * @param rwJdbcUrl JDBC URL of the read-write endpoint (writes, transfers)
 * @param roJdbcUrl JDBC URL of the read-only endpoint (reads)
 * @param user      the application role
 * @param password  its password
 * @param nodeUrls  JDBC URL of each node's own PostgreSQL, by node name, for workloads aimed at a node
 */
public record LoadEndpoints(String rwJdbcUrl, String roJdbcUrl, String user, String password, Map<String, String> nodeUrls) {

    public LoadEndpoints(String rwJdbcUrl, String roJdbcUrl, String user, String password) {
        this(rwJdbcUrl, roJdbcUrl, user, password, Map.of());
    }

    public LoadEndpoints {
        Objects.requireNonNull(rwJdbcUrl, "rwJdbcUrl");
        Objects.requireNonNull(roJdbcUrl, "roJdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        nodeUrls = Map.copyOf(Objects.requireNonNull(nodeUrls, "nodeUrls"));
        if (!rwJdbcUrl.startsWith("jdbc:postgresql:") || !roJdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("endpoints must be jdbc:postgresql: URLs");
        }
    }

    /** The same endpoints, with each node's own URL for workloads aimed at a node. */
    public LoadEndpoints withNodes(Map<String, String> urls) {
        return new LoadEndpoints(rwJdbcUrl, roJdbcUrl, user, password, urls);
    }

    /** Both kinds of operation on one server (a single node, or a test). */
    public static LoadEndpoints single(String jdbcUrl, String user, String password) {
        return new LoadEndpoints(jdbcUrl, jdbcUrl, user, password);
    }

    String url(Endpoint e) {
        return e == Endpoint.RW ? rwJdbcUrl : roJdbcUrl;
    }

    @Override
    public String toString() {
        return "LoadEndpoints[rw=" + rwJdbcUrl + ", ro=" + roJdbcUrl + ", nodes=" + nodeUrls.keySet() + ", user=" + user + ", password=***]";
    }
}
