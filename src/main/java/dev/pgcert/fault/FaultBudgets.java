package dev.pgcert.fault;

import dev.pgcert.topology.Topology;

import java.time.Duration;

/**
 * How long Patroni may take to react to a fault, derived from the topology's own settings, so that a
 * wait's budget follows the configuration rather than a guess.
 */
public record FaultBudgets(Duration ttl, Duration loopWait, Duration retryTimeout, Duration startup) {

    public static FaultBudgets of(Topology topology) {
        Topology.PatroniSettings p = topology.patroni();
        return new FaultBudgets(Duration.ofSeconds(p.ttl()), Duration.ofSeconds(p.loopWait()),
                Duration.ofSeconds(p.retryTimeout()), topology.startupTimeout());
    }

    /**
     * From a leader's loss to a new leader: its key lives up to ttl, a replica notices on its next
     * loop (loop_wait), then runs the leader race and promotes (one DCS write, retry_timeout at most,
     * and one more loop to finish promotion).
     */
    public Duration failover() {
        return ttl.plus(loopWait.multipliedBy(2)).plus(retryTimeout);
    }

    /**
     * A leader that cannot update its key demotes itself before the key expires: Patroni enforces
     * {@code loop_wait + 2 * retry_timeout <= ttl} for exactly that. One more loop to observe it.
     */
    public Duration selfDemotion() {
        return ttl.plus(loopWait);
    }

    /**
     * A node's return after a fault: restart, pg_rewind or a new base backup, then streaming. That is
     * a node's start, for which the topology already gives a budget.
     */
    public Duration rejoin() {
        return startup;
    }

    /** How often to look: a few times per Patroni loop, at most every half second. */
    public Duration poll() {
        Duration quarterLoop = loopWait.dividedBy(4);
        return quarterLoop.compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500)
                : quarterLoop.isZero() ? Duration.ofMillis(100) : quarterLoop;
    }
}
