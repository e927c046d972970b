package dev.pgcert.load;

import dev.pgcert.cluster.HarnessImages;
import dev.pgcert.cluster.HarnessLabels;
import dev.pgcert.cluster.HostPorts;
import dev.pgcert.cluster.PortConflicts;
import dev.pgcert.topology.Topology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One PostgreSQL 15 server in a container of the project's Patroni image (without Patroni), with
 * {@code pgcert.node = 'solo'}, its port published on 127.0.0.1 only. PostgreSQL runs under
 * pg_ctl, not as the container's main process, so a test can crash and restart it.
 */
final class SoloPostgres implements AutoCloseable {

    static final String NODE = "solo";
    static final String APP_ROLE = "pgcert_app";
    private static final String DATA = "/var/lib/pgcert/data";
    private static final String READY = "PGCERT READY";

    private final String superPassword = UUID.randomUUID().toString();
    private final String appPassword = UUID.randomUUID().toString();
    private final GenericContainer<?> container;

    SoloPostgres() {
        // The harness's own Patroni image, built by HarnessImages like every image a run uses.
        Topology.Images images = Topology.Images.defaults();
        String image = new HarnessImages(images).resolve(HarnessImages.Component.PATRONI);
        // Debian keeps the server binaries off PATH.
        String path = "/usr/lib/postgresql/" + images.postgresMajor() + "/bin:/usr/local/bin:/usr/bin:/bin";
        String script = String.join("\n",
                "set -e",
                "initdb -D " + DATA + " -U postgres --auth-local=trust --auth-host=scram-sha-256 "
                        + "--pwfile=<(printf %s \"$PGCERT_SU_PASSWORD\") >/dev/null",
                "echo 'host all all 0.0.0.0/0 scram-sha-256' >> " + DATA + "/pg_hba.conf",
                "printf \"listen_addresses = '*'\\npgcert.node = '" + NODE + "'\\n\" >> " + DATA + "/postgresql.conf",
                "pg_ctl -D " + DATA + " -w -l /tmp/postgres.log start >/dev/null",
                "echo " + READY,
                "exec sleep infinity");
        container = new GenericContainer<>(DockerImageName.parse(image))
                .withLabels(HarnessLabels.forRun("load-" + HarnessLabels.newRunId()))
                .withEnv("PGCERT_SU_PASSWORD", superPassword)
                .withEnv("PATH", path)
                .withExposedPorts(5432)
                .withCreateContainerCmdModifier(cmd -> HostPorts.bindLoopback(cmd, HostPorts.system()))
                .withCommand("bash", "-c", script)
                .waitingFor(Wait.forLogMessage(".*" + READY + ".*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
    }

    SoloPostgres start() throws SQLException {
        PortConflicts.start("solo postgres", container::start, container::stop);
        try (Connection c = superuser(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD '" + appPassword + "'");
        }
        return this;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + container.getMappedPort(5432) + "/postgres";
    }

    int port() {
        return container.getMappedPort(5432);
    }

    Connection superuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", superPassword);
    }

    String superPassword() {
        return superPassword;
    }

    LoadEndpoints appEndpoints() {
        return LoadEndpoints.single(jdbcUrl(), APP_ROLE, appPassword);
    }

    String appPassword() {
        return appPassword;
    }

    /** Crashes PostgreSQL: every backend dies at once, nothing is flushed that was not already. */
    void crash() throws Exception {
        pgCtl("stop", "-m", "immediate");
    }

    /** Starts PostgreSQL again (crash recovery) and waits until it accepts connections. */
    void restart() throws Exception {
        pgCtl("start", "-w", "-l", "/tmp/postgres.log");
    }

    private void pgCtl(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "pg_ctl";
        cmd[1] = "-D";
        cmd[2] = DATA;
        System.arraycopy(args, 0, cmd, 3, args.length);
        ExecResult r = container.execInContainer(cmd);
        if (r.getExitCode() != 0) {
            throw new IllegalStateException("pg_ctl " + String.join(" ", args) + " failed: " + r.getStderr() + r.getStdout());
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
