package dev.pgcert.load;

import dev.pgcert.json.Json;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pgcert.history.Event;
import dev.pgcert.history.HistoryWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the load's JVM shares between Gatling's simulation, its actions and the control
 * threads: pools and workers per endpoint, the operations, the history file, the counters and the
 * stop flag. One per JVM, made from the config file named by the {@code pgcert.load.config}
 * system property.
 */
final class LoadRuntime {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoadRuntime.class);

    private static LoadRuntime instance;

    final ChildConfig config;
    final HistoryWriter history;
    final Counters counters = new Counters();
    final StatsBuffer stats = new StatsBuffer();
    /** One pool and its workers per endpoint ("rw", "ro"), and per node a workload is aimed at ("node:pg2"). */
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Map<Operation, Lane> laneOf = new java.util.IdentityHashMap<>();
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private volatile long startNanos = System.nanoTime();
    private volatile long startCpuNanos;
    private volatile boolean stopRequested;
    private boolean closed;

    static synchronized LoadRuntime get() {
        if (instance == null) {
            String path = System.getProperty(ChildConfig.PROPERTY);
            if (path == null) {
                throw new IllegalStateException("system property " + ChildConfig.PROPERTY + " is not set: the load runs from GatlingLoad");
            }
            instance = new LoadRuntime(ChildConfig.read(Path.of(path)), System.getenv(ChildConfig.USER_ENV),
                    System.getenv(ChildConfig.PASSWORD_ENV));
        }
        return instance;
    }

    private LoadRuntime(ChildConfig config, String user, String password) {
        if (user == null || password == null) {
            throw new IllegalStateException("credentials missing: set " + ChildConfig.USER_ENV + " and " + ChildConfig.PASSWORD_ENV);
        }
        this.config = config;
        this.history = HistoryWriter.buffered(config.history());
        LoadSpec spec = config.spec();
        AtomicLong nextKey = new AtomicLong(spec.firstKey());
        AtomicLong ackedMaxKey = new AtomicLong(0);
        String writeNode = spec.writes() == null ? null : spec.writes().node();
        if (spec.writes() != null) operations.put("writes", new WriteOperation(nextKey, ackedMaxKey, writeNode));
        if (spec.reads() != null) operations.put("reads", new ReadOperation(ackedMaxKey, spec.reads().endpoint()));
        if (spec.transfers() != null) operations.put("transfers", new TransferOperation(spec.bank()));
        if (spec.balances() != null) operations.put("balances", new BalanceOperation(spec.balances().endpoint()));
        if (spec.appends() != null) operations.put("list_append", new ListAppendOperation(spec.lists()));
        if (spec.bulk() != null) operations.put("bulk", new BulkOperation(nextKey, ackedMaxKey, spec.bulk()));
        for (Map.Entry<String, Operation> named : operations.entrySet()) {
            Operation op = named.getValue();
            Endpoint e = op.endpoint();
            String node = named.getKey().equals("writes") ? writeNode : null;
            String laneKey = node == null ? e.key() : "node:" + node;
            Lane lane = lanes.get(laneKey);
            if (lane == null) {
                int size = e == Endpoint.RW ? spec.pool().rwSize() : spec.pool().roSize();
                String url = node == null ? config.url(e) : config.nodeUrl(node);
                // history processes: w3 on the rw endpoint, r1 on the ro one, n2 on a node aimed at
                String prefix = node != null ? "n" : e == Endpoint.RW ? "w" : "r";
                lane = new Lane(prefix, pool(laneKey, url, size, user, password, e), size, spec.pool().maxQueued(), history, counters);
                lanes.put(laneKey, lane);
            }
            laneOf.put(op, lane);
        }
    }

    private HikariDataSource pool(String name, String url, int size, String user, String password, Endpoint e) {
        LoadSpec.Pool p = config.spec().pool();
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("pgcert-" + name.replace(':', '-'));
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(size);
        hc.setConnectionTimeout(p.connectionTimeout().toMillis());
        hc.setValidationTimeout(p.validationTimeout().toMillis());
        hc.setKeepaliveTime(p.keepaliveTime().toMillis());
        hc.setMaxLifetime(p.maxLifetime().toMillis());
        hc.setInitializationFailTimeout(-1); // start even while the endpoint is down: the errors go to the history
        // PgJDBC counts these in whole seconds; LoadSpec.Pool refuses anything else, so nothing is rounded here.
        hc.addDataSourceProperty("socketTimeout", Long.toString(p.socketTimeout().toSeconds()));
        hc.addDataSourceProperty("connectTimeout", Long.toString(p.connectTimeout().toSeconds()));
        hc.addDataSourceProperty("loginTimeout", Long.toString(p.loginTimeout().toSeconds()));
        hc.addDataSourceProperty("tcpKeepAlive", Boolean.toString(p.tcpKeepAlive()));
        hc.addDataSourceProperty("targetServerType", (e == Endpoint.RW ? p.rwTargetServerType() : p.roTargetServerType()).key);
        hc.addDataSourceProperty("ApplicationName", "pgcert-load");
        return new HikariDataSource(hc);
    }

    Operation operation(String workload) {
        return operations.get(workload);
    }

    /** The lane an operation runs on. */
    Lane lane(Operation op) {
        return laneOf.get(op);
    }

    /** Marks the start of the run: workload durations count from here. */
    void start() {
        startNanos = System.nanoTime();
        startCpuNanos = cpuNanos();
    }

    /** CPU time of this whole JVM so far; reported per operation at the end, to keep the load's own cost in view. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Whether a workload of this duration should still issue operations. */
    boolean running(Duration workloadDuration) {
        return !stopRequested && System.nanoTime() - startNanos < workloadDuration.toNanos();
    }

    /** Whether finished requests may wait in {@link #stats} for the next burst: not once the run is ending. */
    boolean bufferingStats() {
        return running(config.spec().longestWorkload());
    }

    void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** No operation queued or running. */
    boolean idle() {
        for (Lane l : lanes.values()) {
            if (l.pending() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes a progress line for the parent: {@code PGCERT_PROGRESS {"nanos": .., "invoke": .., "ok": .., ...}}. */
    void printProgress() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("nanos", System.nanoTime());
        line.putAll(counters.snapshot());
        try {
            // Not a log line: the parent's protocol (RunningLoad reads these from the child's stdout).
            System.out.println(LoadChild.PROGRESS_PREFIX + Json.MAPPER.writeValueAsString(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a map of numbers always serialises
        }
    }

    /** Waits for running operations (at worst one connection wait plus one reply each), then closes. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopRequested = true;
        Duration worst = config.spec().pool().worstOperation().plusSeconds(1);
        for (Lane l : lanes.values()) {
            try {
                if (!l.drain(worst)) {
                    LOG.warn("operations still running after {} ms; their completions are lost", worst.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lanes.values().forEach(Lane::close);
        history.close();
        printProgress(); // the final counts
        long invoked = counters.total(Event.Type.INVOKE);
        long cpu = cpuNanos() - startCpuNanos;
        LOG.info(String.format("%d operations in %.1f s, %d ms CPU in this JVM meanwhile (%.1f us per operation)",
                invoked, (System.nanoTime() - startNanos) / 1e9, cpu / 1_000_000, invoked == 0 ? 0.0 : cpu / 1000.0 / invoked));
        if (history.late() > 0) {
            LOG.warn("{} events arrived after the history was closed", history.late());
        }
    }
}
