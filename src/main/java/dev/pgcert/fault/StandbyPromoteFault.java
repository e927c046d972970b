package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniNodeContainer;
import dev.pgcert.cluster.PatroniRest;

import java.time.Duration;

/**
 * Promotes the standby cluster, as an operator does once the primary site is lost: removes
 * {@code standby_cluster} from the standby cluster's dynamic configuration ({@code PATCH /config} with
 * {@code {"standby_cluster": null}}) on its leader. Patroni promotes the standby leader on its next
 * loop; the standby cluster's replicas follow it. Not undone by heal: a promoted cluster stays primary.
 */
public final class StandbyPromoteFault extends AbstractFault {
    public static final String KIND = "standby-promote";

    public StandbyPromoteFault(String id) {
        super(id, KIND, new Target.Standby(Target.Standby.LEADER));
    }

    @Override
    protected void inject(FaultContext context) {
        Component leader = context.targets().resolve(target);
        resolvedTo(leader.name());
        PatroniNodeContainer c = context.containers().standbyNodes().get(leader.name());
        int status = new PatroniRest(leader.name(), "127.0.0.1", c.restPort(),
                Duration.ofSeconds(Math.max(2, context.topology().patroni().loopWait()))).patchConfig("{\"standby_cluster\": null}");
        note("http_status", status);
        if (status != 200) {
            throw new FaultException(id() + ": Patroni refused PATCH /config on " + leader.name() + " (HTTP " + status + ")");
        }
    }

    @Override
    protected void repair(FaultContext context) {
        // A promoted cluster is not demoted again.
    }
}
