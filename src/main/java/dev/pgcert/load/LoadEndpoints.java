package dev.pgcert.load;

import java.util.Objects;

/**
 * Where the load connects and as whom. The password only ever travels to the load's JVM in an
 * environment variable; {@link #toString()} leaves it out.
 *
 * @param rwJdbcUrl JDBC URL of the read-write endpoint (writes, transfers)
 * @param roJdbcUrl JDBC URL of the read-only endpoint (reads)
 * @param user      the application role
 * @param password  its password
 */
public record LoadEndpoints(String rwJdbcUrl, String roJdbcUrl, String user, String password) {

    public LoadEndpoints {
        Objects.requireNonNull(rwJdbcUrl, "rwJdbcUrl");
        Objects.requireNonNull(roJdbcUrl, "roJdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!rwJdbcUrl.startsWith("jdbc:postgresql:") || !roJdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("endpoints must be jdbc:postgresql: URLs");
        }
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
        return "LoadEndpoints[rw=" + rwJdbcUrl + ", ro=" + roJdbcUrl + ", user=" + user + ", password=***]";
    }
}
