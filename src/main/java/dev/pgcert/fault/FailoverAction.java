package dev.pgcert.fault;

/**
 * A manual failover to a named candidate, as {@code patronictl failover --candidate}: {@code POST /failover}.
 * Unlike a switchover it needs no healthy leader (it is how an operator promotes a replica of a
 * paused cluster whose primary died). Patroni answers once the candidate leads; the budget is a
 * failover's. Nothing to heal: the new leader stays.
 */
public final class FailoverAction extends AbstractFault {
    private final String candidate;

    public FailoverAction(String id, String candidate) {
        super(id, "failover", new Target.Named(candidate));
        this.candidate = candidate;
    }

    @Override
    protected void inject(FaultContext context) {
        resolvedTo(candidate);
        var r = PatroniCalls.anyNode(context, id(), rest -> rest.failover(candidate, context.budgets().failover()));
        note("http_status", r.status());
        PatroniCalls.requireOk(id(), "the failover to " + candidate, r);
    }

    @Override
    protected void repair(FaultContext context) {
        // A failover is not undone.
    }

    @Override
    public java.util.Optional<String> problemWith(dev.pgcert.topology.Topology topology) {
        return Members.problem(topology, "candidate", candidate);
    }
}
