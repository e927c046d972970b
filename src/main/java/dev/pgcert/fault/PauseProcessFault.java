package dev.pgcert.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code pause-process}: SIGSTOP of one PostgreSQL process on a node, every other process left running;
 * heal sends SIGCONT. As CloudNativePG's e2e suite stops a replica's walreceiver:
 * <ul>
 *   <li>{@code walreceiver} (default target replica): the replica stops receiving WAL; its connection
 *       stays open, so the primary's walsender sees no error until {@code wal_sender_timeout};</li>
 *   <li>{@code startup} (default target replica): the process that replays WAL stops; WAL is still
 *       received and written, and replay lags;</li>
 *   <li>{@code walsender} (default target primary): the walsender serving {@code to: NODE} (its
 *       application_name, which Patroni sets to the member name), or every walsender without {@code to};</li>
 *   <li>{@code checkpointer} (default target primary): no checkpoint completes until healed.</li>
 * </ul>
 * The process is found by its process title ({@code ps}: {@code postgres: [cluster:] walreceiver ...});
 * a walsender for one replica through {@code pg_stat_replication}. The stopped PIDs are in the detail;
 * heal continues exactly those, if they are still the same processes.
 */
public final class PauseProcessFault extends AbstractFault {

    public enum Process {
        WALRECEIVER, STARTUP, WALSENDER, CHECKPOINTER;

        String title() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Where the process runs: a replica's receiver and replay, a primary's sender and checkpointer. */
        public String defaultTarget() {
            return this == WALRECEIVER || this == STARTUP ? "replica" : "primary";
        }

        static Process parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new FaultException("process '" + s + "': expected walreceiver, startup, walsender or checkpointer");
            }
        }
    }

    private final Process process;
    private final Optional<String> to;
    private final List<Long> stopped = new ArrayList<>();
    private Component node;

    public PauseProcessFault(String id, Target target, Process process, Optional<String> to) {
        super(id, "pause-process", target);
        if (to.isPresent() && process != Process.WALSENDER) {
            throw new FaultException("to: names a walsender's replica; process " + process.title() + " takes no 'to'");
        }
        this.process = process;
        this.to = to;
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        DockerOps docker = context.docker();
        note("process", process.title());
        to.ifPresent(t -> note("to", t));
        String pids = to.isPresent()
                ? docker.psql(node, "SELECT pid FROM pg_stat_replication WHERE application_name = '"
                        + to.get().replace("'", "''") + "'")
                : docker.execRoot(node, "ps -eo pid=,args= | awk '$2 == \"postgres:\" && ($3 == \"" + process.title()
                        + "\" || $4 == \"" + process.title() + "\") {print $1}'");
        for (String line : pids.strip().split("\\s+")) {
            if (!line.isBlank()) stopped.add(Long.parseLong(line.trim()));
        }
        if (stopped.isEmpty()) {
            throw new FaultException("pause-process: no " + process.title() + " runs on " + node.name()
                    + to.map(t -> " for " + t).orElse("") + " (is it a " + process.defaultTarget() + "?)");
        }
        note("pids", List.copyOf(stopped));
        note("signal", "SIGSTOP");
        docker.execRoot(node, "kill -STOP " + join(stopped));
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null || stopped.isEmpty()) {
            return;
        }
        DockerOps docker = context.docker();
        if (docker.state(node) != DockerOps.State.RUNNING) {
            return; // a stopped container's processes are gone
        }
        // Only processes that are still PostgreSQL's: a PID reused after a restart is left alone.
        docker.execRoot(node, "for p in " + join(stopped) + "; do"
                + " grep -q '^postgres' /proc/$p/cmdline 2>/dev/null && kill -CONT $p; done; true");
        stopped.clear();
    }

    private static String join(List<Long> pids) {
        return String.join(" ", pids.stream().map(String::valueOf).toList());
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
