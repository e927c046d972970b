package dev.pgcert.fault;

import dev.pgcert.json.Json;

/**
 * Maintenance mode, as {@code patronictl pause} sets it: {@code PATCH /config {"pause": true}}. While
 * paused Patroni does not fail over, promote or demote: a dead primary stays dead. {@code pause} is
 * healed by resuming (so a scenario that ends, or a phase with {@code heal}, leaves the cluster
 * automatic again); {@code resume} is the step on its own and has nothing to heal. Each waits until
 * {@code GET /cluster} shows the new mode, at most two Patroni loops.
 */
public final class MaintenanceFault extends AbstractFault {
    private final boolean pause;

    public MaintenanceFault(String id, boolean pause) {
        super(id, pause ? "pause" : "resume", new Target.Named("cluster"));
        this.pause = pause;
    }

    @Override
    protected void inject(FaultContext context) {
        resolvedTo("cluster");
        set(context, pause);
    }

    @Override
    protected void repair(FaultContext context) {
        if (pause) {
            set(context, false);
        }
    }

    private void set(FaultContext context, boolean paused) {
        var patch = Json.MAPPER.createObjectNode();
        if (paused) {
            patch.put("pause", true);
        } else {
            patch.putNull("pause"); // PATCH with null removes the key: what patronictl resume leaves
        }
        PatroniCalls.requireOk(id(), paused ? "pause" : "resume",
                PatroniCalls.anyNode(context, id(), rest -> rest.patchConfig(patch)));
        note("paused", paused);
        PatroniCalls.awaitCluster(context, "/cluster to show pause=" + paused,
                context.budgets().loopWait().multipliedBy(2).plus(context.budgets().retryTimeout()),
                cluster -> cluster.path("pause").asBoolean(false) == paused);
    }

    /** Not a disruption: maintenance mode stops failover; it takes nothing down. */
    @Override
    public boolean disrupts() {
        return false;
    }
}
