package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniNodeContainer;
import dev.pgcert.cluster.Waits;

import java.time.Duration;
import java.util.Set;

/**
 * {@code wipe-data}: a member loses its data directory and must be cloned again, as after a disk
 * replacement. Start stops the node's Patroni agent with SIGTERM (it stops PostgreSQL cleanly and, on a
 * leader, releases the key, so a replica takes over), deletes PGDATA (and the separate WAL volume's
 * contents, if the node has one), and starts the agent again: Patroni finds an empty data directory in
 * an initialized cluster and takes a new base backup from the leader. Heal waits until the node is a
 * replica that the leader's {@code pg_stat_replication} lists again, within the topology's startup
 * budget (a re-clone takes as long as a node's first start); a wait that runs out says what it saw.
 */
public final class WipeDataFault extends AbstractFault {
    private Component node;

    public WipeDataFault(String id, Target target) {
        super(id, "wipe-data", target);
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        DockerOps docker = context.docker();
        String pgdata = PatroniNodeContainer.pgdata();
        long budget = Math.max(10, context.budgets().rejoin().toSeconds());
        note("system_identifier", docker.psql(node, "SELECT system_identifier FROM pg_control_system()"));
        note("bytes_wiped", Long.parseLong(docker.execRoot(node, "du -sbL " + pgdata + " | cut -f1").trim()));
        // SIGTERM the agent and wait for it (and PostgreSQL) to be gone; then no postmaster may remain.
        // As postgres, who owns the agent, PostgreSQL and the data.
        String stopped = docker.exec(node, "postgres", ProcessFault.PATRONI_PID
                + " if [ -n \"$pid\" ]; then kill -TERM \"$pid\";"
                + " i=0; while kill -0 \"$pid\" 2>/dev/null && [ $i -lt " + budget * 5 + " ]; do sleep 0.2; i=$((i+1)); done;"
                + " kill -0 \"$pid\" 2>/dev/null && { echo \"Patroni ($pid) still runs " + budget + " s after SIGTERM\" >&2; exit 3; }; fi;"
                + " if [ -f " + pgdata + "/postmaster.pid ] && kill -0 \"$(head -1 " + pgdata + "/postmaster.pid)\" 2>/dev/null; then"
                + " pg_ctl stop -m immediate -D " + pgdata + " >/dev/null; echo immediate; else echo clean; fi");
        note("postgres_stop", stopped.trim());
        docker.exec(node, "postgres", "rm -rf " + pgdata + " && if [ -d " + PatroniNodeContainer.walMount() + " ]; then"
                + " find " + PatroniNodeContainer.walMount() + " -mindepth 1 -delete; fi");
        startAgent(docker);
        note("agent", "restarted on an empty data directory");
    }

    private void startAgent(DockerOps docker) {
        docker.exec(node, "postgres", ProcessFault.PATRONI_PID
                + " if [ -z \"$pid\" ] || ! kill -0 \"$pid\" 2>/dev/null; then start-patroni; fi");
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null) {
            return;
        }
        DockerOps docker = context.docker();
        if (docker.state(node) != DockerOps.State.RUNNING) {
            return; // stopped or frozen by another fault; its agent starts with the container
        }
        startAgent(docker); // after a start that failed halfway
        Duration budget = context.budgets().rejoin();
        long begin = System.nanoTime();
        TargetResolver targets = context.targets();
        Waits.until(node.name() + " to stream again after its data directory was wiped", budget, context.budgets().poll(), () -> {
            try {
                String leader = targets.leader().name();
                Set<String> streaming = context.replication().streamingFrom(leader);
                return new Waits.Probe(streaming.contains(node.name()), leader + " streams to " + streaming);
            } catch (RuntimeException e) {
                return Waits.Probe.notYet(e.getMessage());
            }
        });
        note("recloned_ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
