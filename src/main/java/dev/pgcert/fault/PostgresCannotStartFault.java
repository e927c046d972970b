package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniNodeContainer;

/**
 * {@code postgres-cannot-start}: PostgreSQL on a node is stopped and cannot start again, because its
 * configuration holds an invalid setting; Patroni, which keeps trying, decides what happens. On a
 * leader, a PostgreSQL that fails to start makes Patroni give up the leader key ("removed leader key
 * after trying and failing to start postgres"; a start that hangs instead is bounded by
 * {@code primary_start_timeout}), so a replica is promoted; on a replica, the member stays down.
 *
 * <p>How: with the agent held (SIGSTOP, so that it cannot restart PostgreSQL in between), the setting
 * ({@code setting}, default {@code work_mem = 'pgcert-invalid'}) is appended to
 * {@code postgresql.auto.conf}, which PostgreSQL reads after Patroni's {@code postgresql.conf} and which
 * Patroni does not regenerate; PostgreSQL is stopped ({@code pg_ctl stop -m fast}) and the agent
 * continued. Heal deletes that one line (it carries the fault's id); Patroni's next start succeeds.
 */
public final class PostgresCannotStartFault extends AbstractFault {
    static final String DEFAULT_SETTING = "work_mem = 'pgcert-invalid'";

    private final String setting;
    private Component node;

    public PostgresCannotStartFault(String id, Target target, String setting) {
        super(id, "postgres-cannot-start", target);
        if (!setting.matches("[A-Za-z_][A-Za-z0-9_.]*\\s*=\\s*[^\\n#]*")) {
            throw new FaultException("setting '" + setting + "': expected one line NAME = VALUE (e.g. " + DEFAULT_SETTING + ")");
        }
        this.setting = setting.strip();
    }

    private String marker() {
        return "# pgcert-fault " + id().replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String autoConf() {
        return PatroniNodeContainer.pgdata() + "/postgresql.auto.conf";
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        DockerOps docker = context.docker();
        note("setting", setting);
        note("file", autoConf());
        String line = setting + "  " + marker();
        String script = ProcessFault.PATRONI_PID
                + " [ -n \"$pid\" ] || { echo 'no Patroni agent runs' >&2; exit 3; };"
                + " kill -STOP \"$pid\";"
                + " printf '%s\\n' " + DockerOps.shellQuote(line) + " >> " + autoConf() + ";"
                + " pg_ctl stop -m fast -w -t 60 -D " + PatroniNodeContainer.pgdata() + " >/dev/null 2>&1;"
                + " rc=$?; kill -CONT \"$pid\"; echo $rc";
        // As postgres, who owns the agent, PostgreSQL and its configuration.
        note("pg_ctl_stop_exit", Integer.parseInt(docker.exec(node, "postgres", script).trim()));
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null) {
            return;
        }
        DockerOps docker = context.docker();
        if (docker.state(node) != DockerOps.State.RUNNING) {
            return;
        }
        docker.exec(node, "postgres", "[ ! -f " + autoConf() + " ] || sed -i " + DockerOps.shellQuote("\\|" + marker() + "$|d")
                + " " + autoConf());
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
