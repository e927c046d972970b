package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Waits;

import java.time.Duration;

/**
 * {@code add-member}: a new Patroni member joins the scope during the run, a container from the same
 * image with the topology's settings (see {@link dev.pgcert.cluster.ExtraMembers}); Patroni clones it
 * from the leader and it becomes a replica, taking a replication slot on the leader and, in synchronous
 * mode, possibly the synchronous standby's place. Start returns once the container runs; the member's
 * clone and streaming are the cluster's business and its observers'. Heal stops it cleanly (SIGTERM),
 * removes the container and its volume, and waits until Patroni no longer lists it (its member key
 * lives up to ttl), within the topology's failover budget.
 */
public final class AddMemberFault extends AbstractFault {
    private final String name;
    private boolean added;

    public AddMemberFault(String id, String name) {
        super(id, "add-member", new Target.Named(name));
        if (!name.matches("[a-z][a-z0-9-]{0,30}")) {
            throw new FaultException("name '" + name + "': a member name is lower-case letters, digits and '-', starting"
                    + " with a letter (it becomes a container's host name)");
        }
        this.name = name;
    }

    @Override
    protected void inject(FaultContext context) {
        if (context.members() == null) {
            throw new FaultException("add-member needs a running cluster to join");
        }
        resolvedTo(name);
        added = true;
        context.members().add(name);
        note("image", "the run's Patroni image");
        note("scope", context.topology().name());
    }

    @Override
    protected void repair(FaultContext context) {
        if (!added) {
            return;
        }
        context.members().remove(name);
        added = false;
        Duration budget = context.budgets().failover();
        long begin = System.nanoTime();
        Waits.until("Patroni to forget the removed member " + name, budget, context.budgets().poll(), () -> {
            try {
                ClusterView view = context.patroni().clusterView();
                boolean listed = view.members().stream().anyMatch(m -> m.name().equals(name));
                return new Waits.Probe(!listed, view.summary());
            } catch (RuntimeException e) {
                return Waits.Probe.notYet(e.getMessage());
            }
        });
        note("forgotten_ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }
}
