package dev.pgcert.fault;

import java.util.Optional;

/**
 * A planned switchover through Patroni's REST API ({@code POST /switchover}): not a failure, but the
 * event users most often schedule, and one whose client-visible downtime they need to know. There is
 * nothing to heal: the new leader stays.
 */
public final class SwitchoverFault extends AbstractFault {
    private final Optional<String> candidate;

    public SwitchoverFault(String id, Target target, Optional<String> candidate) {
        super(id, "switchover", target);
        this.candidate = candidate;
    }

    @Override
    protected void inject(FaultContext context) {
        String leader = context.targets().resolveNode(target, kind()).name();
        resolvedTo(leader);
        candidate.ifPresent(c -> note("candidate", c));
        int status = context.patroni().rest(leader).switchover(leader, candidate, context.budgets().failover());
        note("http_status", status);
        if (status != 200) {
            throw new FaultException(id() + ": Patroni refused the switchover from " + leader + " (HTTP " + status + ")");
        }
    }

    @Override
    protected void repair(FaultContext context) {
        // A switchover is not undone: the cluster keeps its new leader.
    }
}
