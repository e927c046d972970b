package dev.pgcert.load;

import dev.pgcert.yaml.Units;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What load to run: up to four workloads (writes, reads, bank transfers, bank balance reads), each
 * with its own arrival profile; the pool and driver settings of the pooled client; and the
 * fresh-connection probe beside it.
 *
 * <p>Built fluently ({@link #builder()}) or read from a scenario file's {@code load:} section by
 * {@link LoadSection} (the keys are documented there). A {@code null} workload is off.
 *
 * @param duration  how long the load runs at most. Empty: the load runs until whoever runs it stops it;
 *                  a scenario derives the bound from its phases, {@link GatlingLoad} needs one
 * @param writes    INSERTs of unique keys into {@code pgcert_ledger} (rw endpoint), or null
 * @param reads     reads of the ledger's max key (ro endpoint by default), or null
 * @param transfers bank transfers between two accounts of {@code pgcert_bank} (rw endpoint), or null
 * @param balances  reads of the bank's total (rw endpoint by default), or null
 * @param bank      the bank's shape (accounts, total, largest transfer)
 * @param pool      connection pools (HikariCP) and driver settings (PgJDBC)
 * @param probe     the fresh-connection probe, or {@link ProbeSpec#OFF}
 * @param firstKey  the first ledger key written; keys then increase by one per write
 * @param appends   list-append transactions (Jepsen's Elle) on {@code pgcert_lists} (rw endpoint), or null
 * @param lists     the list-append workload's shape (keys, appends per key, operations per transaction, isolation)
 * @param bulk      a bulk load of the ledger with COPY, or null
 */
public record LoadSpec(
        Optional<Duration> duration,
        Workload writes,
        Workload reads,
        Workload transfers,
        Workload balances,
        Bank bank,
        Pool pool,
        ProbeSpec probe,
        long firstKey,
        Workload appends,
        Lists lists,
        Bulk bulk) {

    /** A load without list-append transactions or a bulk load. */
    public LoadSpec(Optional<Duration> duration, Workload writes, Workload reads, Workload transfers, Workload balances,
                    Bank bank, Pool pool, ProbeSpec probe, long firstKey) {
        this(duration, writes, reads, transfers, balances, bank, pool, probe, firstKey, null, Lists.DEFAULT, null);
    }

    public LoadSpec {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(lists, "lists");
        if (duration.isPresent() && !positive(duration.get())) {
            throw new IllegalArgumentException("load duration must be > 0, got " + Units.formatDuration(duration.get()));
        }
        if (writes != null && writes.endpoint() != Endpoint.RW) {
            throw new IllegalArgumentException("writes must use the rw endpoint");
        }
        if (appends != null && (appends.endpoint() != Endpoint.RW || appends.node() != null)) {
            throw new IllegalArgumentException("list-append transactions use the rw endpoint");
        }
        if (transfers != null && transfers.endpoint() != Endpoint.RW) {
            throw new IllegalArgumentException("transfers must use the rw endpoint");
        }
        if ((transfers != null || balances != null) && bank.accounts() < 2) {
            throw new IllegalArgumentException("the bank needs at least 2 accounts, got " + bank.accounts());
        }
        if (writes == null && reads == null && transfers == null && balances == null && appends == null && bulk == null) {
            throw new IllegalArgumentException(NO_WORKLOAD);
        }
        if (firstKey < 1) {
            throw new IllegalArgumentException("first_key must be >= 1, got " + firstKey);
        }
        Map<String, String> poolProblems = pool.problems();
        if (!poolProblems.isEmpty()) {
            throw new IllegalArgumentException("load.pool: " + poolProblems);
        }
    }

    static final String NO_WORKLOAD = "the load has no workload: enable at least one of writes, reads, transfers, balances, list_append, bulk";

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /**
     * One workload: its arrival profile, its own duration, and its endpoint. A workload with its own
     * duration runs that long from the load's start and then stops while the others go on; it never
     * runs past the load's end. Null: as long as the load. A {@code node} (writes only) aims the
     * workload at that node's PostgreSQL directly, past the router: a write there fails when the node
     * is a replica, as it should; null goes through the endpoint.
     */
    public record Workload(Profile profile, Duration duration, Endpoint endpoint, String node) {
        public Workload {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(endpoint, "endpoint");
            if (duration != null && !positive(duration)) {
                throw new IllegalArgumentException("workload duration must be > 0, got " + duration);
            }
            if (node != null && node.isBlank()) {
                throw new IllegalArgumentException("a workload's node must be a node name, got a blank");
            }
        }

        /** Through the endpoint, not aimed at a node. */
        public Workload(Profile profile, Duration duration, Endpoint endpoint) {
            this(profile, duration, endpoint, null);
        }

        /** How long this workload runs when the load runs {@code load}. */
        Duration within(Duration load) {
            return duration == null || duration.compareTo(load) > 0 ? load : duration;
        }
    }

    /**
     * The bank table: {@code accounts} rows whose balances add up to {@code total}; each transfer
     * moves between 1 and {@code maxAmount}.
     */
    public record Bank(int accounts, long total, long maxAmount) {
        public static final Bank DEFAULT = new Bank(10, 10_000, 100);

        public Bank {
            if (accounts < 0 || total < 0 || maxAmount < 1) {
                throw new IllegalArgumentException("bank: accounts and total must be >= 0 and max_amount >= 1");
            }
        }
    }

    /** The transaction isolation level of list-append transactions, as the scenario file names it. */
    public enum Isolation {
        READ_COMMITTED("read_committed", "READ COMMITTED"),
        REPEATABLE_READ("repeatable_read", "REPEATABLE READ"),
        SERIALIZABLE("serializable", "SERIALIZABLE");

        /** The scenario file's and the history's name. */
        public final String key;
        /** PostgreSQL's name, for SET TRANSACTION ISOLATION LEVEL. */
        final String sql;

        Isolation(String key, String sql) {
            this.key = key;
            this.sql = sql;
        }

        public static List<String> keys() {
            return java.util.Arrays.stream(values()).map(i -> i.key).toList();
        }

        /** The level named {@code key}, or empty. */
        public static Optional<Isolation> of(String key) {
            return java.util.Arrays.stream(values()).filter(i -> i.key.equals(key)).findFirst();
        }
    }

    /**
     * The list-append workload's shape: {@code keys} lists in use at once, each retired for a fresh key
     * after {@code maxAppends} appends; 1 to {@code maxOps} operations per transaction; the isolation level.
     */
    public record Lists(int keys, int maxAppends, int maxOps, Isolation isolation) {
        public static final Lists DEFAULT = new Lists(5, 32, 4, Isolation.SERIALIZABLE);

        public Lists {
            Objects.requireNonNull(isolation, "isolation");
            if (keys < 1 || maxAppends < 1 || maxOps < 1) {
                throw new IllegalArgumentException("list_append: keys, max_appends and max_ops must be >= 1");
            }
        }
    }

    /**
     * A bulk load of the ledger with COPY: {@code rows} new keys in batches of {@code batch} rows, one
     * COPY (one transaction) per batch, {@code perSecond} batches a second from the load's start.
     */
    public record Bulk(long rows, int batch, double perSecond) {
        public Bulk {
            if (rows < 1 || batch < 1 || batch > rows || !(perSecond > 0)) {
                throw new IllegalArgumentException("bulk: rows >= 1, 1 <= batch <= rows and rate > 0");
            }
        }

        /** How many COPY batches (the last may be short). */
        public long batches() {
            return (rows + batch - 1) / batch;
        }

        /** The workload that issues them: {@link #perSecond} a second, for as long as all batches take. */
        public Workload workload() {
            long millis = (long) Math.ceil(batches() * 1000.0 / perSecond);
            return new Workload(Profile.rate(perSecond), Duration.ofMillis(Math.max(1, millis)), Endpoint.RW);
        }
    }

    /** PgJDBC's {@code targetServerType}: which server a new connection accepts after it has connected. */
    public enum TargetServerType {
        ANY("any"), PRIMARY("primary"), SECONDARY("secondary"), PREFER_PRIMARY("preferPrimary"), PREFER_SECONDARY("preferSecondary");

        /** The name PgJDBC and the scenario file use. */
        public final String key;

        TargetServerType(String key) {
            this.key = key;
        }

        public static List<String> keys() {
            return java.util.Arrays.stream(values()).map(t -> t.key).toList();
        }

        static TargetServerType of(String key) {
            return java.util.Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("target_server_type must be one of " + keys() + ", got " + key));
        }
    }

    /**
     * The pooled client's settings, as an application would set them: one HikariCP pool per endpoint,
     * PgJDBC underneath. Short timeouts make a failover show up as errors rather than stalls. The
     * scenario file's key of each is given; {@link #problems()} holds HikariCP's and PgJDBC's rules.
     *
     * @param rwSize            {@code rw_size}: HikariCP maximumPoolSize (and worker threads) on the rw endpoint
     * @param roSize            {@code ro_size}: the same on the ro endpoint
     * @param connectionTimeout {@code connection_timeout}: HikariCP, longest wait for a pooled connection (>= 250ms)
     * @param validationTimeout {@code validation_timeout}: HikariCP, longest liveness check (>= 250ms, below connection_timeout)
     * @param keepaliveTime     {@code keepalive_time}: HikariCP, how often idle connections are pinged (0: never, else >= 30s, below max_lifetime)
     * @param maxLifetime       {@code max_lifetime}: HikariCP, retire connections after this (0: never, else >= 30s)
     * @param connectTimeout    {@code connect_timeout}: PgJDBC connectTimeout, longest TCP connect (whole seconds, 0: none)
     * @param socketTimeout     {@code socket_timeout}: PgJDBC socketTimeout, longest wait for a server reply (whole seconds, 0: none)
     * @param loginTimeout      {@code login_timeout}: PgJDBC loginTimeout, longest connect plus authentication (whole seconds, 0: none)
     * @param tcpKeepAlive      {@code tcp_keep_alive}: PgJDBC tcpKeepAlive
     * @param rwTargetServerType {@code target_server_type} (or its {@code rw:}): PgJDBC targetServerType of the rw pool
     * @param roTargetServerType {@code target_server_type} (or its {@code ro:}): the same for the ro pool
     * @param maxQueued         {@code max_queued}: operations that may wait for a worker; past it, new ones are
     *                          dropped (counted, not recorded: they never reached the database)
     */
    public record Pool(
            int rwSize,
            int roSize,
            Duration connectionTimeout,
            Duration validationTimeout,
            Duration keepaliveTime,
            Duration maxLifetime,
            Duration connectTimeout,
            Duration socketTimeout,
            Duration loginTimeout,
            boolean tcpKeepAlive,
            TargetServerType rwTargetServerType,
            TargetServerType roTargetServerType,
            int maxQueued) {

        /** HikariCP 7.1's own defaults would be 30 s waits; these are the harness's (keepalive: HikariCP's 2m). */
        public static final Pool DEFAULT = new Pool(8, 4,
                Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2),
                true, TargetServerType.ANY, TargetServerType.ANY, 1000);

        static final Duration HIKARI_TIMEOUT_FLOOR = Duration.ofMillis(250);
        static final Duration HIKARI_LIFETIME_FLOOR = Duration.ofSeconds(30);
        /** What an operation is assumed to take at worst when a PgJDBC timeout is 0 (none), for draining at the end. */
        static final Duration UNBOUNDED_WAIT = Duration.ofSeconds(30);

        public Pool {
            List.of(connectionTimeout, validationTimeout, keepaliveTime, maxLifetime, connectTimeout, socketTimeout, loginTimeout)
                    .forEach(d -> Objects.requireNonNull(d, "pool timeouts"));
            Objects.requireNonNull(rwTargetServerType, "rwTargetServerType");
            Objects.requireNonNull(roTargetServerType, "roTargetServerType");
        }

        /**
         * What HikariCP or PgJDBC would not take as written, by the key of the scenario file; empty when
         * all is well. HikariCP does not refuse such values: it logs a warning and uses another (a
         * keepalive below 30 s is switched off, a lifetime below 30 s becomes 30 minutes), so a run
         * would silently measure other settings than the file's.
         */
        public Map<String, String> problems() {
            Map<String, String> p = new LinkedHashMap<>();
            if (rwSize < 1 || rwSize > 1000) p.put("rw_size", "must be from 1 to 1000, got " + rwSize);
            if (roSize < 1 || roSize > 1000) p.put("ro_size", "must be from 1 to 1000, got " + roSize);
            if (connectionTimeout.compareTo(HIKARI_TIMEOUT_FLOOR) < 0) {
                p.put("connection_timeout", "HikariCP's minimum is 250ms, got " + Units.formatDuration(connectionTimeout));
            }
            if (validationTimeout.compareTo(HIKARI_TIMEOUT_FLOOR) < 0) {
                p.put("validation_timeout", "HikariCP's minimum is 250ms, got " + Units.formatDuration(validationTimeout));
            } else if (!p.containsKey("connection_timeout") && validationTimeout.compareTo(connectionTimeout) >= 0) {
                p.put("validation_timeout", "must be below connection_timeout (" + Units.formatDuration(connectionTimeout)
                        + "), got " + Units.formatDuration(validationTimeout));
            }
            if (!maxLifetime.isZero() && maxLifetime.compareTo(HIKARI_LIFETIME_FLOOR) < 0) {
                p.put("max_lifetime", "HikariCP takes 0 (no limit) or at least 30s, got " + Units.formatDuration(maxLifetime));
            }
            if (!keepaliveTime.isZero() && keepaliveTime.compareTo(HIKARI_LIFETIME_FLOOR) < 0) {
                p.put("keepalive_time", "HikariCP takes 0 (off) or at least 30s, got " + Units.formatDuration(keepaliveTime));
            } else if (!keepaliveTime.isZero() && !maxLifetime.isZero() && !p.containsKey("max_lifetime")
                    && keepaliveTime.compareTo(maxLifetime) >= 0) {
                p.put("keepalive_time", "must be below max_lifetime (" + Units.formatDuration(maxLifetime) + "), got "
                        + Units.formatDuration(keepaliveTime));
            }
            wholeSeconds(p, "connect_timeout", connectTimeout);
            wholeSeconds(p, "socket_timeout", socketTimeout);
            wholeSeconds(p, "login_timeout", loginTimeout);
            if (maxQueued < 0) p.put("max_queued", "must be >= 0, got " + maxQueued);
            return p;
        }

        private static void wholeSeconds(Map<String, String> p, String key, Duration d) {
            if (d.toMillis() % 1000 != 0) {
                p.put(key, "PgJDBC counts whole seconds: write " + Math.max(1, Math.round(d.toMillis() / 1000.0)) + "s or 0 (none), not "
                        + Units.formatDuration(d));
            }
        }

        /** How long one operation can take at worst: wait for a connection, then log in, then a reply. */
        Duration worstOperation() {
            return connectionTimeout.plus(orUnbounded(loginTimeout)).plus(orUnbounded(socketTimeout));
        }

        private static Duration orUnbounded(Duration pgjdbcTimeout) {
            return pgjdbcTimeout.isZero() ? UNBOUNDED_WAIT : pgjdbcTimeout;
        }

        public Pool withSizes(int rw, int ro) {
            return new Pool(rw, ro, connectionTimeout, validationTimeout, keepaliveTime, maxLifetime, connectTimeout,
                    socketTimeout, loginTimeout, tcpKeepAlive, rwTargetServerType, roTargetServerType, maxQueued);
        }

        public Pool withTimeouts(Duration connection, Duration socket) {
            return new Pool(rwSize, roSize, connection, validationTimeout, keepaliveTime, maxLifetime, connectTimeout,
                    socket, loginTimeout, tcpKeepAlive, rwTargetServerType, roTargetServerType, maxQueued);
        }
    }

    /** The same load with a bound it did not have; a bound the spec already has is never replaced. */
    public LoadSpec withDuration(Duration bound) {
        if (duration.isPresent()) {
            throw new IllegalStateException("the load already runs for " + Units.formatDuration(duration.get()));
        }
        return new LoadSpec(Optional.of(bound), writes, reads, transfers, balances, bank, pool, probe, firstKey, appends, lists, bulk);
    }

    /** The bound, for whoever starts the load; a spec without one cannot be started on its own. */
    public Duration runFor() {
        return duration.orElseThrow(() -> new IllegalStateException(
                "the load has no duration: give one, or run it from a scenario, which derives it from its phases"));
    }

    /** The longest of the enabled workloads' durations (at most the load's). */
    public Duration longestWorkload() {
        Duration longest = Duration.ZERO;
        for (Workload w : workloads().values()) {
            Duration d = w.within(runFor());
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest;
    }

    /** The enabled workloads by name (writes, reads, transfers, balances, list_append, bulk), in that order. */
    public Map<String, Workload> workloads() {
        var map = new LinkedHashMap<String, Workload>();
        if (writes != null) map.put("writes", writes);
        if (reads != null) map.put("reads", reads);
        if (transfers != null) map.put("transfers", transfers);
        if (balances != null) map.put("balances", balances);
        if (appends != null) map.put("list_append", appends);
        if (bulk != null) map.put("bulk", bulk.workload());
        return map;
    }

    /** The defaults: writes at 100/s and reads at 20/s, no bank, the probe on, no duration (see {@link #duration}). */
    public static LoadSpec defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; starts from {@link #defaults()}'s values. */
    public static final class Builder {
        private Duration duration;
        private Workload writes = new Workload(Profile.rate(100), null, Endpoint.RW);
        private Workload reads = new Workload(Profile.rate(20), null, Endpoint.RO);
        private Workload transfers;
        private Workload balances;
        private Bank bank = Bank.DEFAULT;
        private Pool pool = Pool.DEFAULT;
        private ProbeSpec probe = ProbeSpec.DEFAULT;
        private long firstKey = 1;
        private Workload appends;
        private Lists lists = Lists.DEFAULT;
        private Bulk bulk;

        public Builder duration(Duration d) { this.duration = d; return this; }
        public Builder writes(Profile p) { this.writes = p == null ? null : new Workload(p, null, Endpoint.RW); return this; }
        public Builder writes(Workload w) { this.writes = w; return this; }
        public Builder reads(Profile p) { this.reads = p == null ? null : new Workload(p, null, Endpoint.RO); return this; }
        public Builder reads(Workload w) { this.reads = w; return this; }
        public Builder transfers(Profile p) { this.transfers = p == null ? null : new Workload(p, null, Endpoint.RW); return this; }
        public Builder transfers(Workload w) { this.transfers = w; return this; }
        public Builder balances(Profile p) { this.balances = p == null ? null : new Workload(p, null, Endpoint.RW); return this; }
        public Builder balances(Workload w) { this.balances = w; return this; }
        public Builder bank(int accounts, long total, long maxAmount) { this.bank = new Bank(accounts, total, maxAmount); return this; }
        public Builder bank(Bank b) { this.bank = b; return this; }
        public Builder pool(Pool p) { this.pool = p; return this; }
        public Builder poolSize(int rw, int ro) { this.pool = pool.withSizes(rw, ro); return this; }
        public Builder timeouts(Duration connection, Duration socket) { this.pool = pool.withTimeouts(connection, socket); return this; }
        public Builder probe(ProbeSpec p) { this.probe = p; return this; }
        public Builder firstKey(long k) { this.firstKey = k; return this; }
        public Builder listAppend(Profile p, Lists shape) {
            this.appends = p == null ? null : new Workload(p, null, Endpoint.RW);
            this.lists = shape;
            return this;
        }
        public Builder bulk(Bulk b) { this.bulk = b; return this; }

        public LoadSpec build() {
            return new LoadSpec(Optional.ofNullable(duration), writes, reads, transfers, balances, bank, pool, probe, firstKey,
                    appends, lists, bulk);
        }
    }
}
