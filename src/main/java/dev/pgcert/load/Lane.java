package dev.pgcert.load;

import dev.pgcert.history.Event;
import dev.pgcert.history.HistoryWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One endpoint's connection pool and its worker threads, one per connection. Gatling hands an
 * operation to a worker and goes on; the worker records INVOKE, runs the JDBC calls, records the
 * completion and calls back, on the worker thread, into the virtual user's next action. Each worker is one history process ("w3"); after an INFO (outcome
 * unknown) it takes a new process name, as Jepsen does, because the old operation may still be
 * pending in the database.
 */
final class Lane implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Lane.class);

    /** What Gatling's report needs from a finished operation. */
    record Done(Event.Type type, String error, String sqlState) {}

    private final DataSource pool;
    private final ThreadPoolExecutor workers;
    private final HistoryWriter history;
    private final Counters counters;
    private final AtomicInteger pending = new AtomicInteger();

    Lane(String processPrefix, DataSource pool, int threads, int maxQueued, HistoryWriter history, Counters counters) {
        this.pool = pool;
        this.history = history;
        this.counters = counters;
        BlockingQueue<Runnable> queue = maxQueued == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(maxQueued);
        AtomicInteger next = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, queue,
                r -> new Worker(this, r, processPrefix, next.getAndIncrement(), threads));
        workers.prestartAllCoreThreads();
    }

    /**
     * Queues the operation; false (and nothing recorded) when every worker is busy and the queue
     * is full. Called from a worker's completion callback (a closed-model user looping straight
     * into its next operation) and with nobody else waiting, the operation runs next on that same
     * worker: no thread hand-over, which is most of the cost of an operation next to a database
     * round trip.
     */
    boolean submit(Operation op, Consumer<Done> then) {
        pending.incrementAndGet();
        Runnable task = () -> run(op, then);
        if (Thread.currentThread() instanceof Worker w && w.lane == this && w.inCallback && w.next == null
                && workers.getQueue().isEmpty()) {
            w.next = task;
            return true;
        }
        try {
            workers.execute(() -> {
                // Run the task, then whatever its callback chained on this worker, as a loop (no stack growth).
                Worker w = (Worker) Thread.currentThread();
                for (Runnable t = task; t != null; t = w.takeNext()) {
                    t.run();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            counters.dropped();
            return false;
        }
    }

    private void run(Operation op, Consumer<Done> then) {
        Worker me = (Worker) Thread.currentThread();
        try {
            Done done = runOne(op);
            me.inCallback = true;
            try {
                then.accept(done);
            } finally {
                me.inCallback = false;
            }
        } finally {
            pending.decrementAndGet();
        }
    }

    /** Operations queued or running. */
    int pending() {
        return pending.get();
    }

    private Done runOne(Operation op) {
        Worker me = (Worker) Thread.currentThread();
        Operation.Attempt attempt = op.begin();
        history.record(me.process(), Event.Type.INVOKE, op.f(), attempt.invoke());
        counters.add(op.f(), Event.Type.INVOKE);
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            return failed(me, op, attempt, Event.Type.FAIL, e); // nothing was sent
        }
        Map<String, Object> ok;
        try {
            ok = op.run(c, attempt);
        } catch (SQLException e) {
            closeQuietly(c);
            Event.Type type = !op.mutates() || e instanceof NotCommitted ? Event.Type.FAIL : Outcomes.ofSentWrite(e);
            return failed(me, op, attempt, type, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            return failed(me, op, attempt, op.mutates() ? Event.Type.INFO : Event.Type.FAIL, e);
        }
        closeQuietly(c);
        history.record(me.process(), Event.Type.OK, op.f(), ok);
        counters.add(op.f(), Event.Type.OK);
        op.succeeded(attempt);
        return new Done(Event.Type.OK, null, null);
    }

    private Done failed(Worker me, Operation op, Operation.Attempt attempt, Event.Type type, Exception e) {
        String error = Outcomes.describe(e);
        String state = Outcomes.sqlState(e);
        Map<String, Object> value = new LinkedHashMap<>(attempt.invoke());
        value.remove("endpoint");
        value.put("error", error);
        value.put("sqlstate", state);
        history.record(me.process(), type, op.f(), value);
        counters.add(op.f(), type);
        if (type == Event.Type.INFO) {
            me.abandonProcess();
        }
        return new Done(type, error, state);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // a broken connection: HikariCP evicts it
        }
    }

    /** Stops taking operations and waits for the queued and running ones to finish. */
    boolean drain(Duration timeout) throws InterruptedException {
        workers.shutdown();
        return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        if (pool instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the pool failed: {}", e.toString());
            }
        }
    }

    /** A worker thread and the history process it currently speaks for. */
    private static final class Worker extends Thread {
        private final Lane lane;
        private final String prefix;
        private final int stride;
        private int number;
        /** True while a completion callback runs on this worker. */
        private boolean inCallback;
        /** An operation the callback chained to run next on this worker. */
        private Runnable next;

        Worker(Lane lane, Runnable r, String prefix, int number, int stride) {
            super(r, "pgcert-" + prefix + number);
            setDaemon(true);
            this.lane = lane;
            this.prefix = prefix;
            this.number = number;
            this.stride = stride;
        }

        String process() {
            return prefix + number;
        }

        void abandonProcess() {
            number += stride;
        }

        Runnable takeNext() {
            Runnable r = next;
            next = null;
            return r;
        }
    }
}
