package dev.pgcert.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where clients reach the cluster from this host: the read-write and read-only endpoints (through
 * PgBouncer when the topology has one, else HAProxy), the router's own ports, and each node directly.
 * All are on 127.0.0.1.
 */
public record Endpoints(String readWriteUrl, String readOnlyUrl, String routerReadWriteUrl, String routerReadOnlyUrl,
                        Map<String, String> nodeUrls, Map<String, String> restUrls) {

    static String jdbcUrl(int port, String database, boolean throughTransactionPooler) {
        // PgBouncer 1.18 in transaction mode cannot keep server-side prepared statements.
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + (throughTransactionPooler ? "?prepareThreshold=0" : "");
    }

    /** A connection with short timeouts, so a dead endpoint shows up as an error rather than a stall. */
    public static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "3");
        props.setProperty("socketTimeout", "5");
        props.setProperty("ApplicationName", "pgcert-harness");
        return DriverManager.getConnection(url, props);
    }
}
