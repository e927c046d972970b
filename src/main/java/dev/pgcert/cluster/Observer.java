package dev.pgcert.cluster;

import dev.pgcert.history.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A poller that records what it sees on the history's clock, once per change: the first answer,
 * then each different one. Each observer runs on its own thread, so a component that hangs delays
 * only its own observations. An event's time is when the answer arrived (System.nanoTime), and its
 * value carries {@code since_ms}: how long before that the previous, different answer was seen,
 * which bounds when the change really happened.
 */
abstract class Observer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Observer.class);
    static final String PROCESS = "observer";

    private final String name;
    private final Consumer<Event> sink;
    private final Duration period;
    private final ScheduledExecutorService executor;

    Observer(String name, Consumer<Event> sink, Duration period) {
        this.name = name;
        this.sink = sink;
        this.period = period;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgcert-observer-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    Observer start() {
        executor.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                LOG.debug("observer {} failed a poll: {}", name, e.toString());
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One poll: ask the component and {@link #observe} each answer. */
    abstract void poll();

    /** A per-key memory of the last answer and when an answer was last seen. */
    private final Map<String, Object> last = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Records {@code value} as an INFO {@code f} event when it differs from the last answer for
     * {@code key} ({@code comparable} is what counts as a difference).
     */
    void observe(String key, String f, Object comparable, Map<String, Object> value) {
        long now = System.nanoTime();
        Long seen = lastSeen.put(key, now);
        Object before = last.put(key, comparable == null ? NULL : comparable);
        if (before != null && Objects.equals(before, comparable == null ? NULL : comparable)) {
            return;
        }
        Map<String, Object> v = new java.util.LinkedHashMap<>(value);
        if (seen != null) {
            v.put("since_ms", (now - seen) / 1_000_000.0);
        }
        sink.accept(new Event(now, PROCESS, Event.Type.INFO, f, v));
    }

    private static final Object NULL = new Object();

    /** PgJDBC settings of an observer's connection: short timeouts, so a hung component costs one poll. */
    static java.util.Properties jdbcProperties(String user, String password) {
        return Endpoints.properties(user, password, 1, 2, 1, "pgcert-observer");
    }

    static void closeQuietly(java.sql.Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (java.sql.SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeResources();
    }

    void closeResources() {}
}
