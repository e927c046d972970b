package dev.pgcert.fault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcert.cluster.PatroniRest;
import dev.pgcert.cluster.Waits;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the Patroni actions ({@code pause}, {@code config}, {@code failover}, ...) share: a call to the
 * REST API of whichever node answers (the leader may be the one a fault took away), and a wait, on the
 * topology's budget, until {@code GET /cluster} shows the action took effect.
 */
final class PatroniCalls {
    private PatroniCalls() {}

    /** {@code call} on the first node, in the topology's order, whose REST API answers. */
    static <T> T anyNode(FaultContext context, String what, Function<PatroniRest, T> call) {
        RuntimeException last = null;
        for (String name : context.containers().nodes().keySet()) {
            if (!context.containers().node(name).isRunning()) {
                continue;
            }
            try {
                return call.apply(context.patroni().rest(name));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new FaultException(what + ": no Patroni REST API answered" + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Until {@code GET /cluster} (asked of any node) satisfies {@code done}; the budget comes from the caller's topology. */
    static void awaitCluster(FaultContext context, String what, Duration budget, Predicate<JsonNode> done) {
        Waits.until(what, budget, context.budgets().poll(), () -> {
            JsonNode cluster = anyNode(context, what, rest -> rest.getJson("/cluster"));
            return new Waits.Probe(done.test(cluster), cluster.toString());
        });
    }

    static void requireOk(String id, String what, PatroniRest.Response r) {
        if (!r.ok()) {
            throw new FaultException(id + ": Patroni refused " + what + " (HTTP " + r.status() + ": " + r.body().strip() + ")");
        }
    }
}
