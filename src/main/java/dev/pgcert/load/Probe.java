package dev.pgcert.load;

import dev.pgcert.history.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The fresh-connection probe: what the routing path gives a new client, apart from any pool. At a
 * fixed cadence it opens a new JDBC connection (its own short connect, login and socket timeouts),
 * does one statement and closes it: an insert on the read-write endpoint ({@code probe-write}), a
 * read on the read-only endpoint ({@code probe-read}). Each attempt is one operation on the history,
 * INVOKE then OK, FAIL or INFO (outcome unknown), under the process {@code probe-rw} / {@code probe-ro}
 * (a new name after an INFO, as the load does). It runs in the harness JVM, on the history's clock.
 *
 * <p>Attempts never pile up: when the previous attempt of an endpoint is still running at a tick,
 * that tick is skipped and nothing is recorded for it; the count of skipped ticks is in the
 * {@code probe-summary} event written on {@link #close()}.
 *
 * <p>Probe writes go into the load's ledger with negative keys (-1, -2, ...), apart from the load's
 * keys (0 and up): the data-loss checker holds acknowledged probe writes against the final read
 * like any other, and readers of {@code max(k)} never see them.
 */
public final class Probe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);
    public static final String RW_PROCESS = "probe-rw";
    public static final String RO_PROCESS = "probe-ro";

    static final String WRITE_SQL = "INSERT INTO pgcert_ledger(k) VALUES (?) RETURNING current_setting('pgcert.node', true), "
            + "substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)";
    static final String READ_SQL = "SELECT current_setting('pgcert.node', true), pg_is_in_recovery()";

    private final ProbeSpec spec;
    private final LoadEndpoints endpoints;
    private final Consumer<Event> sink;
    private final ScheduledExecutorService ticker;
    private final ExecutorService workers;
    private final AtomicLong nextKey = new AtomicLong(-1);
    private final List<Target> targets;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Probe(ProbeSpec spec, LoadEndpoints endpoints, Consumer<Event> sink) {
        this.spec = spec;
        this.endpoints = endpoints;
        this.sink = sink;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pgcert-probe-tick"));
        this.workers = Executors.newFixedThreadPool(2, r -> daemon(r, "pgcert-probe"));
        this.targets = List.of(new Target(RW_PROCESS, Event.Fn.PROBE_WRITE, endpoints.rwJdbcUrl(), spec.readWrite()),
                new Target(RO_PROCESS, Event.Fn.PROBE_READ, endpoints.roJdbcUrl(), spec.readOnly()));
    }

    /** Starts probing; a disabled spec starts nothing (and records nothing). */
    public static Probe start(ProbeSpec spec, LoadEndpoints endpoints, Consumer<Event> sink) {
        Probe p = new Probe(spec, endpoints, sink);
        if (spec.enabled()) {
            long periodMicros = Math.max(1, Math.round(1_000_000 / spec.perSecond()));
            p.ticker.scheduleAtFixedRate(p::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
            LOG.info("probe started: {} attempts/s per endpoint (rw {}, ro {})", spec.perSecond(), spec.readWrite(), spec.readOnly());
        }
        return p;
    }

    private void tick() {
        for (Target t : targets) {
            if (!t.enabled) {
                continue;
            }
            if (!t.busy.compareAndSet(false, true)) {
                t.skipped.incrementAndGet(); // the last attempt still runs: skip this tick, record nothing
                continue;
            }
            try {
                workers.execute(() -> {
                    try {
                        attempt(t);
                    } finally {
                        t.busy.set(false);
                    }
                });
            } catch (RuntimeException e) {
                t.busy.set(false); // shutting down
            }
        }
    }

    private void attempt(Target t) {
        boolean write = t.f.equals(Event.Fn.PROBE_WRITE);
        long key = write ? nextKey.getAndDecrement() : 0;
        Map<String, Object> invoke = new LinkedHashMap<>();
        if (write) {
            invoke.put("key", key);
        }
        invoke.put("endpoint", write ? Endpoint.RW.key() : Endpoint.RO.key());
        String process = t.process();
        t.attempts.incrementAndGet();
        record(process, Event.Type.INVOKE, t.f, invoke);
        boolean sent = false;
        long begin = System.nanoTime();
        try (Connection c = connect(t.url)) {
            sent = true;
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("connect_ms", (System.nanoTime() - begin) / 1_000_000.0); // a fresh connection's cost, apart from the statement
            if (write) {
                try (PreparedStatement ps = c.prepareStatement(WRITE_SQL)) {
                    ps.setLong(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ok.put("key", key);
                        ok.put("node", rs.getString(1));
                        ok.put("timeline", Integer.parseUnsignedInt(rs.getString(2), 16));
                    }
                }
            } else {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(READ_SQL)) {
                    rs.next();
                    ok.put("node", rs.getString(1));
                    ok.put("in_recovery", rs.getBoolean(2));
                }
            }
            record(process, Event.Type.OK, t.f, ok);
        } catch (SQLException | RuntimeException e) {
            // Not connected: nothing was sent, a definite FAIL. A read never changes anything: FAIL too.
            Event.Type type = !sent || !write ? Event.Type.FAIL
                    : e instanceof SQLException s ? Outcomes.ofSentWrite(s) : Event.Type.INFO;
            Map<String, Object> v = new LinkedHashMap<>();
            if (write) {
                v.put("key", key);
            }
            v.put("error", Outcomes.describe(e));
            String state = Outcomes.sqlState(e);
            if (state != null) {
                v.put("sqlstate", state);
            }
            v.put("stage", sent ? "statement" : "connect");
            record(process, type, t.f, v);
            if (type == Event.Type.INFO) {
                t.generation.incrementAndGet();
            }
        }
    }

    /**
     * A fresh connection with the probe's own timeouts. PgJDBC counts them in whole seconds; the
     * login timeout (connect plus authentication) is the connect timeout plus one second.
     */
    private Connection connect(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", endpoints.user());
        props.setProperty("password", endpoints.password());
        props.setProperty("connectTimeout", Long.toString(seconds(spec.connectTimeout())));
        props.setProperty("loginTimeout", Long.toString(seconds(spec.connectTimeout()) + 1));
        props.setProperty("socketTimeout", Long.toString(seconds(spec.socketTimeout())));
        props.setProperty("ApplicationName", "pgcert-probe");
        props.setProperty("tcpKeepAlive", "false");
        return DriverManager.getConnection(url, props);
    }

    private static long seconds(java.time.Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private void record(String process, Event.Type type, String f, Map<String, Object> value) {
        sink.accept(new Event(System.nanoTime(), process, type, f, value));
    }

    /** Stops the ticks, waits for the attempts in flight (bounded by their timeouts), records the summary. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ticker.shutdownNow();
        workers.shutdown();
        try {
            long bound = spec.connectTimeout().plus(spec.socketTimeout()).toMillis() + 2000;
            if (!workers.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (spec.enabled()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("per_second", spec.perSecond());
            for (Target t : targets) {
                if (t.enabled) {
                    v.put(t.process + ".attempts", t.attempts.get());
                    v.put(t.process + ".skipped", t.skipped.get());
                }
            }
            record("probe", Event.Type.INFO, Event.Fn.PROBE_SUMMARY, v);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static final class Target {
        final String process;
        final String f;
        final String url;
        final boolean enabled;
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong generation = new AtomicLong();

        Target(String process, String f, String url, boolean enabled) {
            this.process = process;
            this.f = f;
            this.url = url;
            this.enabled = enabled;
        }

        String process() {
            long g = generation.get();
            return g == 0 ? process : process + "-" + g;
        }
    }
}
