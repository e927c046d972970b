package dev.pgcert.fault;

import java.time.Duration;

/**
 * {@code clock-skew}: PostgreSQL on one node sees a wall clock that is off by a fixed offset, ahead or
 * behind, from the moment the fault starts (a clock jump) until it is healed (the clock jumps back).
 *
 * <p><b>How: libfaketime, on PostgreSQL only.</b> The node image runs PostgreSQL through a wrapper
 * ({@code src/main/docker/patroni/pgcert-postgres}, Patroni's {@code bin_dir}) that preloads Debian's
 * {@code libfaketime} (in bookworm and trixie) with {@code FAKETIME_TIMESTAMP_FILE=/tmp/pgcert-faketime},
 * re-read at most once a second ({@code FAKETIME_CACHE_DURATION=1}); while that file is absent the clock
 * is the real one. The fault writes the offset ({@code +30s}, {@code -90s}) into the file and heal removes
 * it, so the offset changes live, without restarting anything. The monotonic clock is not faked
 * ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}): as with a real wall-clock step, only {@code CLOCK_REALTIME}
 * moves. Every PostgreSQL process sees the offset: {@code now()}, commit timestamps, the time stamps in
 * the WAL and in replication feedback, and the timeouts PostgreSQL computes from wall time.
 *
 * <p><b>Why not CAP_SYS_TIME.</b> A container has no clock of its own: {@code date -s} with that
 * capability would set the host kernel's clock, and with it every container's and the harness's own,
 * so nothing would be skewed relative to anything and the host would be damaged. Not acceptable.
 *
 * <p><b>Why not Patroni too.</b> Python's {@code time.sleep} fails with EINVAL (monotonic left alone)
 * or hangs (monotonic faked) under libfaketime 0.9.10, measured in a bookworm container; an agent that
 * cannot sleep is another fault. Patroni's leader election does not read the wall clock for expiry in
 * any case: the leader key is an etcd lease whose TTL etcd counts.
 */
public final class ClockSkewFault extends AbstractFault {
    /** The file the wrapper's libfaketime reads; absent means no offset. */
    static final String OFFSET_FILE = "/tmp/pgcert-faketime";

    private final Duration offset;
    private final boolean ahead;
    private Component node;

    public ClockSkewFault(String id, Target target, Duration offset, boolean ahead) {
        super(id, "clock-skew", target);
        if (offset.isZero() || offset.isNegative()) {
            throw new FaultException("clock-skew needs an offset above 0 (ahead: 30s or behind: 30s)");
        }
        if (offset.toMillis() % 1000 != 0) {
            throw new FaultException("clock-skew offset must be whole seconds (libfaketime's offset file), got "
                    + offset.toMillis() + "ms");
        }
        this.offset = offset;
        this.ahead = ahead;
    }

    /** The offset file's content: libfaketime's relative form, {@code +30s} or {@code -30s}. */
    String spec() {
        return (ahead ? "+" : "-") + offset.toSeconds() + "s";
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        DockerOps docker = context.docker();
        docker.execRoot(node, "ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1"
                + " || { echo 'libfaketime is not in this image (rebuild it from src/main/docker/patroni)' >&2; exit 3; }");
        note("offset_ms", (ahead ? 1 : -1) * offset.toMillis());
        note("how", "libfaketime in PostgreSQL (" + OFFSET_FILE + " = " + spec() + ")");
        // As postgres, so that the node's entry point can remove it when the container starts again.
        docker.exec(node, "postgres", "printf '%s\\n' '" + spec() + "' > " + OFFSET_FILE + ".new && mv "
                + OFFSET_FILE + ".new " + OFFSET_FILE);
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null) {
            return;
        }
        DockerOps docker = context.docker();
        if (docker.state(node) == DockerOps.State.STOPPED) {
            return; // pgcert-node removes the file when the container starts again
        }
        docker.exec(node, "postgres", "rm -f " + OFFSET_FILE);
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
