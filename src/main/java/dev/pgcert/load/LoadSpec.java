package dev.pgcert.load;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What load to run: up to four workloads (writes, reads, bank transfers, bank balance reads), each
 * with its own arrival profile, plus connection-pool and timeout settings.
 *
 * <p>Built fluently ({@link #builder()}) or from a scenario file's {@code load:} section
 * ({@link #fromMap(Map)}; the keys are documented there). A {@code null} workload is off.
 *
 * @param duration  how long every workload runs unless it says otherwise
 * @param writes    INSERTs of unique keys into {@code pgcert_ledger} (rw endpoint), or null
 * @param reads     reads of the ledger's max key (ro endpoint by default), or null
 * @param transfers bank transfers between two accounts of {@code pgcert_bank} (rw endpoint), or null
 * @param balances  reads of the bank's total (rw endpoint by default), or null
 * @param bank      the bank's shape (accounts, total, largest transfer)
 * @param pool      connection pools and client timeouts
 * @param firstKey  the first ledger key written; keys then increase by one per write
 */
public record LoadSpec(
        Duration duration,
        Workload writes,
        Workload reads,
        Workload transfers,
        Workload balances,
        Bank bank,
        Pool pool,
        long firstKey) {

    public LoadSpec {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(pool, "pool");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("load duration must be > 0, got " + duration);
        }
        if (writes != null && writes.endpoint() != Endpoint.RW) {
            throw new IllegalArgumentException("writes must use the rw endpoint");
        }
        if (transfers != null && transfers.endpoint() != Endpoint.RW) {
            throw new IllegalArgumentException("transfers must use the rw endpoint");
        }
        if ((transfers != null || balances != null) && bank.accounts() < 2) {
            throw new IllegalArgumentException("the bank needs at least 2 accounts, got " + bank.accounts());
        }
        if (writes == null && reads == null && transfers == null && balances == null) {
            throw new IllegalArgumentException("the load has no workload: enable at least one of writes, reads, transfers, balances");
        }
        if (firstKey < 1) {
            throw new IllegalArgumentException("first_key must be >= 1, got " + firstKey);
        }
    }

    /** One workload: its arrival profile, its own duration (null: the spec's), and its endpoint. */
    public record Workload(Profile profile, Duration duration, Endpoint endpoint) {
        public Workload {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(endpoint, "endpoint");
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("workload duration must be > 0, got " + duration);
            }
        }

        Duration durationOr(Duration fallback) {
            return duration == null ? fallback : duration;
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

    /**
     * Connection pools (one per endpoint) and client timeouts. Short timeouts make a failover show
     * up as errors rather than stalls. PgJDBC's socket, connect and login timeouts have a resolution
     * of whole seconds.
     *
     * @param rwSize            connections (and worker threads) for the rw endpoint
     * @param roSize            connections (and worker threads) for the ro endpoint
     * @param connectionTimeout longest wait for a pooled connection (HikariCP, >= 250 ms)
     * @param validationTimeout longest connection liveness check (HikariCP, >= 250 ms)
     * @param socketTimeout     longest wait for a server reply (PgJDBC, whole seconds)
     * @param connectTimeout    longest TCP connect (PgJDBC, whole seconds)
     * @param loginTimeout      longest connect plus authentication (PgJDBC, whole seconds)
     * @param maxLifetime       retire connections after this (HikariCP, >= 30 s)
     * @param maxQueued         operations that may wait for a worker; past it, new ones are dropped
     *                          (counted, not recorded: they never reached the database)
     */
    public record Pool(
            int rwSize,
            int roSize,
            Duration connectionTimeout,
            Duration validationTimeout,
            Duration socketTimeout,
            Duration connectTimeout,
            Duration loginTimeout,
            Duration maxLifetime,
            int maxQueued) {

        public static final Pool DEFAULT = new Pool(8, 4,
                Duration.ofMillis(1500), Duration.ofMillis(500),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofMinutes(5), 1000);

        public Pool {
            if (rwSize < 1 || roSize < 1) {
                throw new IllegalArgumentException("pool sizes must be >= 1");
            }
            atLeast("connection_timeout", connectionTimeout, Duration.ofMillis(250));
            atLeast("validation_timeout", validationTimeout, Duration.ofMillis(250));
            atLeast("socket_timeout", socketTimeout, Duration.ofSeconds(1));
            atLeast("connect_timeout", connectTimeout, Duration.ofSeconds(1));
            atLeast("login_timeout", loginTimeout, Duration.ofSeconds(1));
            atLeast("max_lifetime", maxLifetime, Duration.ofSeconds(30));
            if (maxQueued < 0) {
                throw new IllegalArgumentException("max_queued must be >= 0");
            }
        }

        private static void atLeast(String name, Duration value, Duration min) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be >= " + DurationText.format(min) + ", got " + DurationText.format(value));
            }
        }

        /** How long one operation can take at worst: wait for a connection, then a reply. */
        Duration worstOperation() {
            return connectionTimeout.plus(loginTimeout).plus(socketTimeout);
        }
    }

    /** The longest of the enabled workloads' durations. */
    public Duration longestWorkload() {
        Duration longest = Duration.ZERO;
        for (Workload w : workloads().values()) {
            Duration d = w.durationOr(duration);
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest;
    }

    /** The enabled workloads by name (writes, reads, transfers, balances), in that order. */
    public Map<String, Workload> workloads() {
        var map = new java.util.LinkedHashMap<String, Workload>();
        if (writes != null) map.put("writes", writes);
        if (reads != null) map.put("reads", reads);
        if (transfers != null) map.put("transfers", transfers);
        if (balances != null) map.put("balances", balances);
        return map;
    }

    /**
     * Reads a scenario file's {@code load:} section. Keys (all optional):
     * <pre>
     * duration: 60s                 # every workload's duration unless it sets its own
     * first_key: 1
     * writes:    {rate: 100}        # default; or {ramp: {from: 10, to: 500}} or {users: 8}; "off" disables
     * reads:     {rate: 20, endpoint: ro}   # default {rate: 20} on ro
     * transfers: {rate: 20}         # off unless given
     * balances:  {rate: 2, endpoint: rw}    # off unless given; default {rate: 2} when transfers are on
     * bank:      {accounts: 10, total: 10000, max_amount: 100}
     * pool:      {size: 8, ro_size: 4, connection_timeout: 1500ms, validation_timeout: 500ms,
     *             socket_timeout: 3s, connect_timeout: 1s, login_timeout: 2s, max_lifetime: 5m, max_queued: 1000}
     * </pre>
     * Each workload may also carry {@code duration}. Durations: 500ms, 2s, 5m, 1h, PT1M, or seconds.
     */
    public static LoadSpec fromMap(Map<String, ?> map) {
        return LoadSpecMaps.fromMap(map == null ? Map.of() : map);
    }

    /** The same keys as {@link #fromMap(Map)} reads; {@code fromMap(toMap())} gives back an equal spec. */
    public Map<String, Object> toMap() {
        return LoadSpecMaps.toMap(this);
    }

    /** The defaults: writes at 100/s and reads at 20/s for 60 s, no bank. */
    public static LoadSpec defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; starts from {@link #defaults()}'s values. */
    public static final class Builder {
        private Duration duration = Duration.ofSeconds(60);
        private Workload writes = new Workload(Profile.rate(100), null, Endpoint.RW);
        private Workload reads = new Workload(Profile.rate(20), null, Endpoint.RO);
        private Workload transfers;
        private Workload balances;
        private Bank bank = Bank.DEFAULT;
        private Pool pool = Pool.DEFAULT;
        private long firstKey = 1;

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
        public Builder poolSize(int rw, int ro) {
            this.pool = new Pool(rw, ro, pool.connectionTimeout(), pool.validationTimeout(), pool.socketTimeout(),
                    pool.connectTimeout(), pool.loginTimeout(), pool.maxLifetime(), pool.maxQueued());
            return this;
        }
        public Builder timeouts(Duration connection, Duration socket) {
            this.pool = new Pool(pool.rwSize(), pool.roSize(), connection, pool.validationTimeout(), socket,
                    pool.connectTimeout(), pool.loginTimeout(), pool.maxLifetime(), pool.maxQueued());
            return this;
        }
        public Builder firstKey(long k) { this.firstKey = k; return this; }

        public LoadSpec build() {
            return new LoadSpec(duration, writes, reads, transfers, balances, bank, pool, firstKey);
        }
    }
}
