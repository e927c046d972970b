package dev.pgcert.fault;

import dev.pgcert.topology.Topology;

import java.util.Optional;
import java.util.Map;

/**
 * One fault, in the spirit of Jepsen's nemesis: {@link #start} breaks something, {@link #heal} puts it
 * right. The target is resolved when the fault starts (who is primary now, through Patroni's REST
 * API), never from names in a configuration file.
 *
 * <p>{@link #heal} is idempotent: healing twice, or healing a fault that never started (or whose start
 * failed halfway), is harmless. That is what lets {@link Nemesis#healAll()} run in a {@code finally}.
 */
public interface Fault {

    /** Unique within a run; names the fault in the history and in its iptables chain or ballast file. */
    String id();

    /** The registry's kind name: {@code kill}, {@code partition}, {@code disk-full}, ... */
    String kind();

    /** Resolves the target and breaks it. Throws {@link FaultException} when it cannot. */
    void start(FaultContext context);

    /** Undoes what {@link #start} did; harmless when there is nothing to undo. */
    void heal(FaultContext context);

    /** What the fault hits, as resolved at start ("node2", "etcd1", "node1 | etcd2"); "unresolved" before start. */
    String target();

    /** What it did, for the history and the report: signal, peers cut off, bytes of ballast, ... */
    Map<String, Object> detail();

    /**
     * What in the topology makes this fault impossible (a disk-full on a volume with no size, a link
     * fault on a link that does not go through Toxiproxy), found while the scenario is read, before any
     * container starts. Empty when the fault can run, or when only the running cluster can tell.
     */
    default Optional<String> problemWith(Topology topology) {
        return Optional.empty();
    }

    /**
     * Whether this step can take something down (every fault, a switchover, a restart), as opposed to a
     * step that only changes a setting or records something (maintenance mode, a configuration change, a
     * backup). The headline failover figures time the first step that disrupts: a scenario that pauses or
     * reconfigures the cluster before it kills the primary times the kill, not the pause.
     */
    default boolean disrupts() {
        return true;
    }

    default String describe() {
        return kind() + " " + target() + (detail().isEmpty() ? "" : " " + detail());
    }
}
