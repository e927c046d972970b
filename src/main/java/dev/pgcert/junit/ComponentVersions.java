package dev.pgcert.junit;

import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.Endpoints;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.report.AllureEnvironment;
import dev.pgcert.topology.Stack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.ContainerState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions really running in a cluster, asked of the components themselves: for Allure's
 * environment panel and for each scenario's report, next to the stack that was meant to run.
 */
final class ComponentVersions {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentVersions.class);

    private ComponentVersions() {}

    /** Component name to the version it reports (PostgreSQL, Patroni, PgBouncer, HAProxy, etcd), in that order. */
    static Map<String, String> read(PatroniCluster cluster) {
        String leader = cluster.clusterView().leader().orElseThrow().name();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("PostgreSQL", postgres(cluster, leader));
        versions.put("Patroni", cluster.rest(leader).getJson("/patroni").path("patroni").path("version").asText("?"));
        cluster.pooler().ifPresent(p -> versions.put("PgBouncer", version(firstLine(p, "pgbouncer", "--version"))));
        cluster.containers().router().ifPresent(r -> versions.put("HAProxy", version(firstLine(r, "haproxy", "-v"))));
        versions.put("etcd", version(firstLine(cluster.etcdMembers().values().iterator().next(), "etcd", "--version")));
        Stack stack = cluster.topology().images().stack();
        if (!versions.get("Patroni").equals(stack.patroni())) {
            // Validation followed the stack's Patroni version: say so when another one runs.
            LOG.warn("stack {} expects Patroni {} but the nodes run {}: version-specific validation used {}",
                    stack.name(), stack.patroni(), versions.get("Patroni"), stack.patroni());
        }
        return versions;
    }

    /** The environment panel: the stack, each component's version, the topology, the host. */
    static void record(PatroniCluster cluster, Map<String, String> versions) {
        Stack stack = cluster.topology().images().stack();
        AllureEnvironment env = AllureEnvironment.create()
                .stack(stack.name() + " (Debian " + stack.debian() + ")")
                .postgresql(versions.get("PostgreSQL"))
                .patroni(versions.get("Patroni"))
                .haproxy(versions.get("HAProxy"))
                .etcd(versions.get("etcd"))
                .topology(cluster.topology().name() + " (" + cluster.topology().nodes().size() + " nodes, "
                        + cluster.topology().dcs().members() + " etcd)")
                .host();
        if (versions.containsKey("PgBouncer")) {
            env.pgbouncer(versions.get("PgBouncer"));
        }
        env.write();
    }

    /** One line for a scenario's report: {@code stack trixie (Debian 13): PostgreSQL 17.12 (...), Patroni 4.0.7, ...}. */
    static String describe(Stack stack, Map<String, String> versions) {
        StringBuilder line = new StringBuilder("stack " + stack.name() + " (Debian " + stack.debian() + "): ");
        versions.forEach((component, version) -> line.append(component).append(' ').append(version).append(", "));
        return line.substring(0, line.length() - 2);
    }

    private static String postgres(PatroniCluster cluster, String leader) {
        Credentials c = cluster.credentials();
        try (Connection conn = Endpoints.connect(cluster.nodeJdbcUrl(leader), c.superuser(), c.superuserPassword());
             Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+(?:\\.\\d+)?(?:[-+~][0-9A-Za-z.+~-]*)?");

    /**
     * The version in a program's banner: "HAProxy version 3.0.11-1+deb13u4 2026/10/15 - ..." gives
     * 3.0.11-1+deb13u4, "etcd Version: 3.5.16" gives 3.5.16; the whole line when none is found.
     */
    static String version(String banner) {
        Matcher m = VERSION.matcher(banner);
        return m.find() ? m.group() : banner;
    }

    private static String firstLine(ContainerState container, String... command) {
        try {
            var result = container.execInContainer(command);
            String out = (result.getStdout() + result.getStderr()).trim();
            return out.lines().findFirst().orElse("?");
        } catch (Exception e) {
            return "unknown";
        }
    }
}
