package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniRest;
import dev.pgcert.topology.Topology;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A planned switchover through Patroni's REST API ({@code POST /switchover}): not a failure, but the
 * event users most often schedule, and one whose client-visible downtime they need to know. To a named
 * {@code candidate} or to the one Patroni picks; with {@code scheduled_at} (a delay from the step) Patroni
 * accepts it at once (HTTP 202) and switches when the time comes. There is nothing to heal: the new
 * leader stays.
 */
public final class SwitchoverFault extends AbstractFault {
    private final Optional<String> candidate;
    private final Optional<Duration> scheduledIn;

    public SwitchoverFault(String id, Target target, Optional<String> candidate) {
        this(id, target, candidate, Optional.empty());
    }

    public SwitchoverFault(String id, Target target, Optional<String> candidate, Optional<Duration> scheduledIn) {
        super(id, "switchover", target);
        this.candidate = candidate;
        this.scheduledIn = scheduledIn;
    }

    @Override
    protected void inject(FaultContext context) {
        String leader = resolveNode(context).name();
        candidate.ifPresent(c -> note("candidate", c));
        if (scheduledIn.isPresent()) {
            // Patroni compares with its own clock; the containers share the host's.
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).plus(scheduledIn.get());
            note("scheduled_at", at.toString());
            PatroniRest.Response r = context.patroni().rest(leader).scheduleSwitchover(leader, candidate, at);
            note("http_status", r.status());
            PatroniCalls.requireOk(id(), "the switchover from " + leader + " scheduled at " + at, r);
            return;
        }
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

    @Override
    public Optional<String> problemWith(Topology topology) {
        return candidate.flatMap(name -> Members.problem(topology, "candidate", name)).or(() -> super.problemWith(topology));
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
