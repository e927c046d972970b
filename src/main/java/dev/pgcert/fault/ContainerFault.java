package dev.pgcert.fault;

import java.time.Duration;

/**
 * Faults of a whole container, as an operator or the machine would cause them: a crash ({@code kill},
 * SIGKILL of everything), a clean shutdown ({@code stop}, SIGTERM then SIGKILL after the grace
 * period), a hang ({@code freeze}, the cgroup freezer: every process stops, sockets stay open) and a
 * reboot ({@code restart}). The target may be a node, an etcd member, the router or PgBouncer.
 */
public final class ContainerFault extends AbstractFault {

    public enum Action {
        KILL("kill"), STOP("stop"), FREEZE("freeze"), RESTART("restart");

        final String kind;

        Action(String kind) {
            this.kind = kind;
        }
    }

    private final Action action;
    private final Duration grace;
    private Component component;

    public ContainerFault(String id, Action action, Target target, Duration grace) {
        this(id, action.kind, action, target, grace);
    }

    /** Under another kind name, e.g. {@code etcd-kill} for a kill aimed at the DCS. */
    public ContainerFault(String id, String kind, Action action, Target target, Duration grace) {
        super(id, kind, target);
        this.action = action;
        this.grace = grace;
    }

    @Override
    protected void inject(FaultContext context) {
        component = context.targets().resolve(target);
        if (kind().startsWith("etcd-") && component.type() != Component.Type.ETCD) {
            Component wrong = component;
            component = null;
            throw new FaultException("fault " + id() + " (" + kind() + ") needs an etcd member as target, not " + wrong.name());
        }
        resolvedTo(component.name());
        DockerOps docker = context.docker();
        switch (action) {
            case KILL -> {
                note("signal", "SIGKILL");
                docker.kill(component, "KILL");
            }
            case STOP -> {
                note("signal", "SIGTERM");
                note("grace_ms", grace.toMillis());
                docker.stop(component, grace);
            }
            case FREEZE -> {
                note("how", "docker pause (cgroup freezer)");
                docker.pause(component);
            }
            case RESTART -> {
                note("grace_ms", grace.toMillis());
                docker.restart(component, grace);
            }
        }
    }

    @Override
    protected void repair(FaultContext context) {
        if (component == null) {
            return; // never resolved: nothing was done
        }
        DockerOps docker = context.docker();
        // Whatever state a failed inject left behind, a healed container runs.
        docker.unpauseIfPaused(component);
        docker.startIfStopped(component);
    }

    @Override
    protected Aim aim() {
        return Aim.COMPONENT;
    }
}
