package dev.pgcert.fault;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.pgcert.topology.Topology;

/**
 * The bookkeeping every fault shares: a fault is idle or active; {@link #heal} of an idle fault does
 * nothing, so healing twice or healing a fault that never started is harmless. A start that fails
 * halfway leaves the fault active, so the heal that follows undoes whatever part took effect. A
 * healed fault may be started again (a schedule may repeat it).
 */
public abstract class AbstractFault implements Fault {
    private final String id;
    private final String kind;
    protected final Target target;
    private final Map<String, Object> detail = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile String resolvedTarget = "unresolved";
    private boolean active;

    protected AbstractFault(String id, String kind, Target target) {
        this.id = id;
        this.kind = kind;
        this.target = target;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final String target() {
        return resolvedTarget;
    }

    @Override
    public final Map<String, Object> detail() {
        synchronized (detail) {
            return Map.copyOf(detail);
        }
    }

    @Override
    public final synchronized void start(FaultContext context) {
        if (active) {
            throw new FaultException("fault " + id + " (" + kind + ") is already active on " + resolvedTarget);
        }
        detail.clear();
        resolvedTarget = "unresolved";
        active = true;
        inject(context);
    }

    @Override
    public final synchronized void heal(FaultContext context) {
        if (!active) {
            return;
        }
        repair(context);
        active = false;
    }

    /** What a fault's target may be, checked against the topology when the scenario is read ({@link TargetCheck}). */
    public enum Aim {
        /** A PostgreSQL + Patroni node (by role or name): the fault works inside PostgreSQL or Patroni. */
        NODE,
        /** Any component the run has: a node, an etcd member, the router or PgBouncer. */
        COMPONENT,
        /** The target is not a component the scenario names (the whole cluster, a new member, groups). */
        NONE
    }

    /** What this fault's target may be; a fault that takes a target from the scenario declares it here. */
    protected Aim aim() {
        return Aim.NONE;
    }

    /** The target checked against the topology ({@link TargetCheck}); a subclass adds its own checks with {@code or}. */
    @Override
    public Optional<String> problemWith(Topology topology) {
        return TargetCheck.problem(target, topology, kind(), aim());
    }

    public final synchronized boolean isActive() {
        return active;
    }

    /** Breaks the target. Resolve it first and report it with {@link #resolvedTo}. */
    protected abstract void inject(FaultContext context);

    /** Undoes {@link #inject}, also after an inject that failed halfway. */
    protected abstract void repair(FaultContext context);

    /** Resolves the target to a PostgreSQL node when the fault starts, and reports it ({@link #resolvedTo}). */
    protected final Component resolveNode(FaultContext context) {
        Component node = context.targets().resolveNode(target, kind());
        resolvedTo(node.name());
        return node;
    }

    protected final void resolvedTo(String target) {
        this.resolvedTarget = target;
    }

    protected final void note(String key, Object value) {
        detail.put(key, value);
    }

    @Override
    public String toString() {
        return id + ":" + describe();
    }
}
