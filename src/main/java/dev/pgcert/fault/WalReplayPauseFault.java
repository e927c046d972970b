package dev.pgcert.fault;

/**
 * {@code wal-replay-pause}: {@code pg_wal_replay_pause()} on a replica (default: any replica). It keeps
 * receiving WAL but applies none of it, so its replay position stops while the primary moves on; heal
 * calls {@code pg_wal_replay_resume()}. Unlike stopping the startup process ({@code pause-process}), this
 * is PostgreSQL's own, visible pause: {@code pg_get_wal_replay_pause_state()} says so, and a promotion
 * of a paused replica ends the pause first (PostgreSQL 14 and later). Patroni resumes a paused replay on
 * every loop of a replica (PostgreSQL 14 and later) unless the cluster is in maintenance mode (patroni/ha.py
 * follow(): handle_parameter_change()), so outside a {@code pause} step the fault lasts at most a loop_wait
 * or so: combine it with {@code pause} to hold replay for longer.
 */
public final class WalReplayPauseFault extends AbstractFault {
    private Component node;

    public WalReplayPauseFault(String id, Target target) {
        super(id, "wal-replay-pause", target);
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        DockerOps docker = context.docker();
        // pg_wal_replay_pause() on a primary is an error; say so rather than PostgreSQL's words alone.
        String recovery = docker.psql(node, "SELECT pg_is_in_recovery()");
        if (!recovery.equals("t")) {
            throw new FaultException("wal-replay-pause: " + node.name() + " is not a replica (pg_is_in_recovery() = "
                    + recovery + ")");
        }
        note("replay_lsn_at_pause", docker.psql(node, "SELECT pg_wal_replay_pause(); SELECT pg_last_wal_replay_lsn()")
                .lines().reduce((a, b) -> b).orElse(""));
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null) {
            return;
        }
        DockerOps docker = context.docker();
        if (docker.state(node) != DockerOps.State.RUNNING) {
            return; // a restarted PostgreSQL does not keep the pause
        }
        try {
            docker.psql(node, "SELECT pg_wal_replay_resume() WHERE pg_is_in_recovery()");
        } catch (FaultException e) {
            // PostgreSQL is down (another fault): a start ends the pause by itself
            note("resume", e.getMessage());
        }
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
