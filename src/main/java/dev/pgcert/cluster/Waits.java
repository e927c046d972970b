package dev.pgcert.cluster;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Waiting for a cluster condition within a budget that comes from the topology. When the budget
 * runs out the error says what was awaited and what the last probe saw, so a failed start or
 * failover is diagnosable from the message alone.
 */
public final class Waits {

    /** What a probe saw: whether the condition holds, and a short description of the state. */
    public record Probe(boolean done, String seen) {
        public static Probe done(String seen) { return new Probe(true, seen); }
        public static Probe notYet(String seen) { return new Probe(false, seen); }
    }

    private Waits() {}

    public static String until(String what, Duration budget, Duration pollInterval, Supplier<Probe> probe) {
        AtomicReference<String> lastSeen = new AtomicReference<>("nothing yet");
        try {
            Awaitility.await(what)
                    .atMost(budget)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(pollInterval)
                    .ignoreExceptions()
                    .until(() -> {
                        Probe p;
                        try {
                            p = probe.get();
                        } catch (RuntimeException e) {
                            lastSeen.set(e.getClass().getSimpleName() + ": " + e.getMessage());
                            throw e;
                        }
                        lastSeen.set(p.seen());
                        return p.done();
                    });
            return lastSeen.get();
        } catch (ConditionTimeoutException e) {
            throw new WaitTimeoutException("gave up after " + budget.toMillis() / 1000.0 + " s waiting for "
                    + what + "; last seen: " + lastSeen.get());
        }
    }

    public static final class WaitTimeoutException extends RuntimeException {
        public WaitTimeoutException(String message) {
            super(message);
        }
    }
}
