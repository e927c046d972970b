package dev.pgcert.cluster;

import dev.pgcert.topology.Connect;
import dev.pgcert.topology.Topology;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where clients reach the cluster from this host: the read-write and read-only endpoints (through
 * PgBouncer when the topology has one, else HAProxy), the router's own ports, and each node directly.
 * All are on 127.0.0.1.
 */
public record Endpoints(String readWriteUrl, String readOnlyUrl, String routerReadWriteUrl, String routerReadOnlyUrl,
                        Map<String, String> nodeUrls, Map<String, String> restUrls) {

    /** The endpoints of a started run: the client links through Toxiproxy when the topology routes them. */
    static Endpoints of(Topology topology, RunContainers containers) {
        Optional<PoolerContainer> pooler = containers.pooler();
        boolean transactionPooling = pooler.isPresent()
                && topology.pgbouncer().map(b -> b.poolMode() == Topology.PgBouncer.PoolMode.TRANSACTION).orElse(false);
        String db = Credentials.DATABASE;
        Map<String, String> nodeUrls = new LinkedHashMap<>();
        Map<String, String> restUrls = new LinkedHashMap<>();
        containers.nodes().forEach((name, c) -> {
            nodeUrls.put(name, jdbcUrl(c.postgresPort(), db, false));
            restUrls.put(name, "http://127.0.0.1:" + c.restPort());
        });
        if (topology.connect().path() == Connect.Path.JDBC_MULTIHOST) {
            List<Integer> ports = containers.nodes().values().stream().map(PatroniNodeContainer::postgresPort).toList();
            String rw = multiHostUrl(ports, db, "primary", false, topology.connect().hostRecheck());
            String ro = multiHostUrl(ports, db, "preferSecondary", true, topology.connect().hostRecheck());
            return new Endpoints(rw, ro, rw, ro, nodeUrls, restUrls);
        }
        Optional<RouterContainer> router = containers.router();
        Optional<String> routerRwUrl = router.map(r -> jdbcUrl(r.readWritePort(), db, false));
        Optional<String> routerRoUrl = router.map(r -> jdbcUrl(r.readOnlyPort(), db, false));
        PoolerContainer viaPooler = pooler.orElse(null);
        if (viaPooler == null && router.isEmpty()) {
            throw new IllegalStateException("the run has neither a router nor PgBouncer (connect: " + topology.connect().path().key() + ")");
        }
        // PgBouncer alone: the pooler's databases are the clients' way in, and stand in for the router's ports.
        String routerRw = routerRwUrl.orElseGet(() -> jdbcUrl(viaPooler.port(), db, transactionPooling));
        String routerRo = routerRoUrl.orElseGet(() -> jdbcUrl(viaPooler.port(), db + PoolerConfig.RO_SUFFIX, transactionPooling));
        String roDb = pooler.isPresent() ? db + PoolerConfig.RO_SUFFIX : db;
        String rw = pooler.map(p -> jdbcUrl(p.port(), db, transactionPooling)).orElse(routerRw);
        String ro = pooler.map(p -> jdbcUrl(p.port(), roDb, transactionPooling)).orElse(routerRo);
        Optional<LinkProxies> links = containers.links();
        Optional<LinkProxies.Route> clientRw = links.flatMap(l -> l.clientRoute("rw"));
        Optional<LinkProxies.Route> clientRo = links.flatMap(l -> l.clientRoute("ro"));
        if (clientRw.isPresent() && clientRo.isPresent()) {
            rw = jdbcUrl(links.get().hostPort(clientRw.get()), db, transactionPooling);
            ro = jdbcUrl(links.get().hostPort(clientRo.get()), roDb, transactionPooling);
        }
        return new Endpoints(rw, ro, routerRw, routerRo, nodeUrls, restUrls);
    }

    /**
     * A PgJDBC multi-host URL over every node ({@code connect: jdbc-multihost}): the driver tries the hosts
     * and keeps the one whose role matches {@code targetServerType}, trusting what it learnt about a host for
     * {@code hostRecheckSeconds}.
     */
    static String multiHostUrl(List<Integer> ports, String database, String targetServerType, boolean loadBalance,
                               java.time.Duration hostRecheck) {
        return "jdbc:postgresql://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(java.util.stream.Collectors.joining(","))
                + "/" + database + "?targetServerType=" + targetServerType
                + "&hostRecheckSeconds=" + Math.max(1, hostRecheck.toSeconds())
                + (loadBalance ? "&loadBalanceHosts=true" : "");
    }

    static String jdbcUrl(int port, String database, boolean throughTransactionPooler) {
        // PgBouncer 1.18 in transaction mode cannot keep server-side prepared statements.
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + (throughTransactionPooler ? "?prepareThreshold=0" : "");
    }

    /** A connection with short timeouts, so a dead endpoint shows up as an error rather than a stall. */
    public static Connection connect(String url, String user, String password) throws SQLException {
        return DriverManager.getConnection(url, properties(user, password, 2, 3, 5, "pgcert-harness"));
    }

    /** PgJDBC's connection properties for the harness's own clients, timeouts in whole seconds (PgJDBC's unit). */
    static Properties properties(String user, String password, int connectSeconds, int loginSeconds, int socketSeconds,
                                 String applicationName) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Integer.toString(connectSeconds));
        props.setProperty("loginTimeout", Integer.toString(loginSeconds));
        props.setProperty("socketTimeout", Integer.toString(socketSeconds));
        props.setProperty("ApplicationName", applicationName);
        return props;
    }
}
