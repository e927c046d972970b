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
 * lives ttl after its last write, ttl as Patroni runs it), within that ttl plus two loops.
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
        // A cleanly stopped member writes its key once more ("stopped"), and the key lives ttl after that: ttl as
        // Patroni runs it (3.2 and later raise a ttl below 20 to 20 at run time), plus one loop to look.
        long ttl = context.topology().patroni().ttl();
        if (context.topology().images().stack().patroniAtLeast(3, 2)) ttl = Math.max(ttl, 20);
        Duration budget = Duration.ofSeconds(ttl).plus(context.budgets().loopWait().multipliedBy(2));
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
