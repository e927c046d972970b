package dev.pgcert.fault;

import dev.pgcert.topology.Topology;

import java.util.Optional;

/**
 * An operator's action on one member through its own REST API: {@code pg-restart} restarts PostgreSQL
 * under Patroni ({@code POST /restart}, as {@code patronictl restart}); {@code reinit} wipes a replica
 * and clones it again from the leader ({@code POST /reinitialize}, as {@code patronictl reinit}).
 * Patroni answers when the restart is done, or when the re-clone has started; the step then waits
 * until the member is running again, within the topology's start-up budget.
 */
public final class MemberAction extends AbstractFault {
    public enum Action {
        RESTART("pg-restart", "/restart", "{}"), REINIT("reinit", "/reinitialize", "{\"force\": true}");

        final String kind;
        final String path;
        final String body;

        Action(String kind, String path, String body) {
            this.kind = kind;
            this.path = path;
            this.body = body;
        }
    }

    private final Action action;

    public MemberAction(String id, Action action, Target target) {
        super(id, action.kind, target);
        this.action = action;
    }

    @Override
    protected void inject(FaultContext context) {
        String node = resolveNode(context).name();
        var r = context.patroni().rest(node).call("POST", action.path, action.body, context.budgets().rejoin());
        note("http_status", r.status());
        PatroniCalls.requireOk(id(), "POST " + action.path + " on " + node, r);
        PatroniCalls.awaitCluster(context, node + " running again after " + kind(), context.budgets().rejoin(),
                cluster -> {
                    for (var m : cluster.path("members")) {
                        if (m.path("name").asText().equals(node)) {
                            String state = m.path("state").asText();
                            return state.equals("running") || state.equals("streaming");
                        }
                    }
                    return false;
                });
    }

    @Override
    protected void repair(FaultContext context) {
        // Nothing to undo: the member runs again.
    }


    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
