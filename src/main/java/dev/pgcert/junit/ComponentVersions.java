package dev.pgcert.junit;

import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.Endpoints;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.report.AllureEnvironment;
import org.testcontainers.containers.ContainerState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The versions really running in a cluster, asked of the components themselves, for Allure's environment. */
final class ComponentVersions {
    private ComponentVersions() {}

    static void record(PatroniCluster cluster) {
        String leader = cluster.clusterView().leader().orElseThrow().name();
        AllureEnvironment env = AllureEnvironment.create()
                .postgresql(postgres(cluster, leader))
                .patroni(cluster.rest(leader).getJson("/patroni").path("patroni").path("version").asText("?"))
                .haproxy(firstLine(cluster.router(), "haproxy", "-v"))
                .etcd(firstLine(cluster.etcdMembers().values().iterator().next(), "etcd", "--version"))
                .topology(cluster.topology().name() + " (" + cluster.topology().nodes().size() + " nodes, "
                        + cluster.topology().dcs().members() + " etcd)")
                .host();
        cluster.pooler().ifPresent(p -> env.pgbouncer(firstLine(p, "pgbouncer", "--version")));
        env.write();
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
