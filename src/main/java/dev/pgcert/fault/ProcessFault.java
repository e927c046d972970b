package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniNodeContainer;

/**
 * Faults of one process inside a node, the others left running:
 * <ul>
 *   <li>{@code postmaster-kill}: SIGKILL of the postmaster. Patroni sees PostgreSQL gone and starts it
 *       again (crash recovery) on its next loop; heal has nothing to undo.</li>
 *   <li>{@code patroni-kill}: SIGKILL of the Patroni agent; PostgreSQL keeps running unsupervised and
 *       the leader key expires after ttl. Heal starts the agent again ({@code start-patroni}).</li>
 *   <li>{@code patroni-stop}: SIGSTOP of the agent (a hung agent); heal sends SIGCONT.</li>
 * </ul>
 */
public final class ProcessFault extends AbstractFault {

    public enum Action {
        POSTMASTER_KILL("postmaster-kill"), PATRONI_KILL("patroni-kill"), PATRONI_STOP("patroni-stop");

        final String kind;

        Action(String kind) {
            this.kind = kind;
        }
    }

    /** The agent's PID: pgcert-node and start-patroni write it; checked against the command line. */
    static final String PATRONI_PID = "pid=$(cat /tmp/patroni.pid 2>/dev/null);"
            + " if [ -z \"$pid\" ] || ! grep -q patroni /proc/$pid/cmdline 2>/dev/null; then"
            // anchored on the interpreter so that this very shell (whose command line holds the pattern) never matches
            + " pid=$(pgrep -o -f '^[^ ]*python[^ ]* [^ ]*patroni '); fi;";

    private final Action action;
    private Component node;

    public ProcessFault(String id, Action action, Target target) {
        super(id, action.kind, target);
        this.action = action;
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        DockerOps docker = context.docker();
        switch (action) {
            case POSTMASTER_KILL -> {
                String pid = docker.execRoot(node, "pid=$(head -1 " + PatroniNodeContainer.pgdata() + "/postmaster.pid)"
                        + " && kill -KILL \"$pid\" && echo \"$pid\"").trim();
                note("signal", "SIGKILL");
                note("postmaster_pid", Long.parseLong(pid));
            }
            case PATRONI_KILL -> {
                note("signal", "SIGKILL");
                note("patroni_pid", signalAgent(docker, "KILL"));
            }
            case PATRONI_STOP -> {
                note("signal", "SIGSTOP");
                note("patroni_pid", signalAgent(docker, "STOP"));
            }
        }
    }

    private long signalAgent(DockerOps docker, String signal) {
        String pid = docker.execRoot(node, PATRONI_PID
                + " [ -n \"$pid\" ] || { echo 'no Patroni agent runs' >&2; exit 3; };"
                + " kill -" + signal + " \"$pid\" && echo \"$pid\"").trim();
        return Long.parseLong(pid);
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null) {
            return;
        }
        DockerOps docker = context.docker();
        if (docker.state(node) != DockerOps.State.RUNNING) {
            return; // stopped or frozen by something else: its agent starts with the container
        }
        switch (action) {
            case POSTMASTER_KILL -> { } // Patroni restarts PostgreSQL by itself
            case PATRONI_KILL -> docker.exec(node, "postgres", PATRONI_PID
                    + " if [ -z \"$pid\" ] || ! kill -0 \"$pid\" 2>/dev/null; then start-patroni; fi");
            case PATRONI_STOP -> docker.execRoot(node, PATRONI_PID + " [ -z \"$pid\" ] || kill -CONT \"$pid\"");
        }
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
