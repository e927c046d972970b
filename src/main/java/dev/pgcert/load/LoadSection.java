package dev.pgcert.load;

import dev.pgcert.load.LoadSpec.Bank;
import dev.pgcert.load.LoadSpec.Pool;
import dev.pgcert.load.LoadSpec.TargetServerType;
import dev.pgcert.load.LoadSpec.Workload;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import dev.pgcert.yaml.YamlScalar;
import dev.pgcert.yaml.Units;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario file's {@code load:} section: read into a {@link LoadSpec}, recording every problem at its
 * line (all of them, not the first), and written back in the same grammar ({@link #write}) for the
 * load's own JVM, which reads it with {@link #read} too: one format, one reader. Keys, all optional; durations in the grammar of
 * {@link dev.pgcert.yaml.Units} (docs/units.md):
 * <pre>
 * duration: 10m                 # at most this long; leave it out and the scenario derives it from its phases
 * first_key: 1
 * writes:    {rate: 100}        # default; or {ramp: {from: 10, to: 500}} or {users: 8}; off disables
 *                               # node: pg2 aims the writes at that node's PostgreSQL, past the router
 * reads:     {rate: 20, endpoint: ro}   # default {rate: 20} on ro
 * transfers: {rate: 20}         # off unless given
 * balances:  {rate: 2, endpoint: rw}    # off unless given; default {rate: 2} when transfers are on
 * bank:      {accounts: 10, total: 10000, max_amount: 100}
 * list_append: {rate: 20, keys: 5, max_appends: 32, max_ops: 4, isolation: serializable}   # off unless given
 *                               # isolation: read_committed, repeatable_read or serializable (docs/list-append.md)
 * bulk:      {rows: 100000, batch: 10000, rate: 1}   # COPY batches into the ledger; off unless given
 * pool:                         # the pooled client: HikariCP, then PgJDBC
 *   rw_size: 8                  # maximumPoolSize on the rw endpoint (and its worker threads)
 *   ro_size: 4
 *   connection_timeout: 1500ms  # HikariCP connectionTimeout, >= 250ms
 *   validation_timeout: 500ms   # HikariCP validationTimeout, >= 250ms, below connection_timeout
 *   keepalive_time: 2m          # HikariCP keepaliveTime, 0 (off) or >= 30s, below max_lifetime
 *   max_lifetime: 5m            # HikariCP maxLifetime, 0 (none) or >= 30s
 *   connect_timeout: 1s         # PgJDBC connectTimeout, whole seconds, 0: none
 *   socket_timeout: 3s          # PgJDBC socketTimeout
 *   login_timeout: 2s           # PgJDBC loginTimeout
 *   tcp_keep_alive: true        # PgJDBC tcpKeepAlive
 *   target_server_type: any     # PgJDBC targetServerType of both pools, or {rw: primary, ro: any}
 *   max_queued: 1000            # operations waiting for a worker; past it new ones are dropped (counted)
 * probe: {rate: 20, connect_timeout: 1s, socket_timeout: 1s, read_write: true, read_only: true}   # or off
 * </pre>
 * A workload may carry its own {@code duration}: it then runs that long from the load's start and
 * stops while the others go on (never past the load's end).
 */
public final class LoadSection {

    static final String[] TOP = {"duration", "first_key", "writes", "reads", "transfers", "balances", "bank", "pool", "probe",
            "list_append", "bulk"};
    private static final String[] WORKLOAD = {"rate", "ramp", "users", "duration", "endpoint"};
    private static final String[] LISTS = {"keys", "max_appends", "max_ops", "isolation"};
    private static final String[] BULK = {"rows", "batch", "rate"};
    private static final String[] POOL = {"rw_size", "ro_size", "connection_timeout", "validation_timeout", "keepalive_time",
            "max_lifetime", "connect_timeout", "socket_timeout", "login_timeout", "tcp_keep_alive", "target_server_type", "max_queued"};
    private static final String[] PROBE = {"rate", "connect_timeout", "socket_timeout", "read_write", "read_only"};

    private LoadSection() {}

    /** The load of {@code section}; empty when it has errors (they are in its document's problems). */
    public static Optional<LoadSpec> read(YamlMap section) {
        int errorsBefore = section.problems().errorCount();
        section.allowOnly(TOP);
        Optional<Duration> duration = section.duration("duration", Duration.ofSeconds(1));
        Workload writes = workload(section, "writes", Profile.rate(100), Endpoint.RW);
        Workload reads = workload(section, "reads", Profile.rate(20), Endpoint.RO);
        Workload transfers = workload(section, "transfers", null, Endpoint.RW);
        Workload balances = workload(section, "balances", transfers == null ? null : Profile.rate(2), Endpoint.RW);
        Bank bank = section.map("bank").map(LoadSection::bank).orElse(Bank.DEFAULT);
        Pool pool = section.map("pool").map(LoadSection::pool).orElse(Pool.DEFAULT);
        ProbeSpec probe = section.get("probe").map(LoadSection::probe).orElse(ProbeSpec.DEFAULT);
        long firstKey = section.longValue("first_key", 1, Long.MAX_VALUE / 2).orElse(1L);
        Workload appends = workload(section, "list_append", null, Endpoint.RW, LISTS);
        LoadSpec.Lists lists = appends == null ? LoadSpec.Lists.DEFAULT
                : section.map("list_append").map(LoadSection::lists).orElse(LoadSpec.Lists.DEFAULT);
        LoadSpec.Bulk bulk = section.get("bulk").filter(n -> !isOff(n)).flatMap(YamlNode::asMap).flatMap(LoadSection::bulk).orElse(null);
        if (writes == null && reads == null && transfers == null && balances == null && appends == null && bulk == null) {
            section.error(LoadSpec.NO_WORKLOAD);
        }
        if ((transfers != null || balances != null) && bank.accounts() < 2) {
            section.find("bank", "accounts").orElse(section)
                    .error("transfers and balances need at least 2 accounts, got " + bank.accounts());
        }
        if (section.problems().errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new LoadSpec(duration, writes, reads, transfers, balances, bank, pool, probe, firstKey, appends, lists, bulk));
    }

    private static LoadSpec.Lists lists(YamlMap l) {
        LoadSpec.Lists d = LoadSpec.Lists.DEFAULT;
        LoadSpec.Isolation isolation = l.oneOf("isolation", LoadSpec.Isolation.keys()).flatMap(LoadSpec.Isolation::of)
                .orElse(d.isolation());
        return new LoadSpec.Lists(l.integer("keys", 1, 10_000).orElse(d.keys()),
                l.integer("max_appends", 1, 100_000).orElse(d.maxAppends()),
                l.integer("max_ops", 1, 100).orElse(d.maxOps()), isolation);
    }

    private static Optional<LoadSpec.Bulk> bulk(YamlMap b) {
        b.allowOnly(BULK);
        Optional<Long> rows = b.required("rows").flatMap(n -> n.asLong(1, 100_000_000));
        int batch = b.integer("batch", 1, 10_000_000).orElse((int) Math.min(10_000, rows.orElse(10_000L)));
        double rate = b.number("rate", 0.001, 1000).orElse(1.0);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        if (batch > rows.get()) {
            b.get("batch").map(YamlNode.class::cast).orElse(b).error("a batch of " + batch + " rows is more than the " + rows.get() + " rows to load");
            return Optional.empty();
        }
        return Optional.of(new LoadSpec.Bulk(rows.get(), batch, rate));
    }

    private static Workload workload(YamlMap top, String name, Profile defaultProfile, Endpoint defaultEndpoint, String... extraKeys) {
        Optional<YamlNode> node = top.get(name);
        if (node.isEmpty()) {
            return defaultProfile == null ? null : new Workload(defaultProfile, null, defaultEndpoint);
        }
        if (isOff(node.get())) {
            return null;
        }
        Optional<YamlMap> section = node.get().asMap();
        if (section.isEmpty()) {
            return null;
        }
        YamlMap w = section.get();
        List<String> allowed = new java.util.ArrayList<>(List.of(WORKLOAD));
        allowed.addAll(List.of(extraKeys));
        if (name.equals("writes")) {
            allowed.add("node");
        }
        w.allowOnly(allowed.toArray(String[]::new));
        long kinds = List.of("rate", "ramp", "users").stream().filter(w::has).count();
        Profile profile = defaultProfile;
        if (kinds > 1) {
            w.error("give one of rate, ramp, users");
        } else if (w.has("rate")) {
            profile = w.number("rate", 0.001, 100_000).map(Profile::rate).orElse(null);
        } else if (w.has("ramp")) {
            profile = w.map("ramp").flatMap(LoadSection::ramp).orElse(null);
        } else if (w.has("users")) {
            profile = w.integer("users", 1, 10_000).map(Profile::users).orElse(null);
        } else if (profile == null) {
            w.error("give one of rate, ramp, users");
        }
        Duration duration = w.duration("duration", Duration.ofSeconds(1)).orElse(null);
        Endpoint endpoint = w.oneOf("endpoint", List.of("rw", "ro")).map(e -> e.equals("rw") ? Endpoint.RW : Endpoint.RO)
                .orElse(defaultEndpoint);
        if (endpoint != Endpoint.RW && (name.equals("writes") || name.equals("transfers"))) {
            w.get("endpoint").orElseThrow().error(name + " must use the rw endpoint");
            endpoint = Endpoint.RW;
        }
        String target = w.string("node").orElse(null);
        if (target != null && w.has("endpoint")) {
            w.get("node").orElseThrow().error("give node or endpoint, not both: node aims the writes past the endpoints");
        }
        return profile == null ? null : new Workload(profile, duration, endpoint, target);
    }

    private static Optional<Profile> ramp(YamlMap r) {
        r.allowOnly("from", "to");
        Optional<Double> from = r.required("from").flatMap(n -> n.asDouble(0, 100_000));
        Optional<Double> to = r.required("to").flatMap(n -> n.asDouble(0, 100_000));
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        if (from.get() == 0 && to.get() == 0) {
            r.error("a ramp from 0 to 0 sends nothing");
            return Optional.empty();
        }
        return Optional.of(Profile.ramp(from.get(), to.get()));
    }

    private static Bank bank(YamlMap b) {
        b.allowOnly("accounts", "total", "max_amount");
        Bank d = Bank.DEFAULT;
        return new Bank(b.integer("accounts", 0, 1_000_000).orElse(d.accounts()),
                b.longValue("total", 0, Long.MAX_VALUE / 2).orElse(d.total()),
                b.longValue("max_amount", 1, Long.MAX_VALUE / 2).orElse(d.maxAmount()));
    }

    private static Pool pool(YamlMap p) {
        p.allowOnly(POOL);
        Pool d = Pool.DEFAULT;
        TargetServerType[] target = {d.rwTargetServerType(), d.roTargetServerType()};
        p.get("target_server_type").ifPresent(node -> targetServerTypes(node, target));
        Pool pool = new Pool(
                p.integer("rw_size", 1, 1000).orElse(d.rwSize()),
                p.integer("ro_size", 1, 1000).orElse(d.roSize()),
                p.duration("connection_timeout", Duration.ZERO).orElse(d.connectionTimeout()),
                p.duration("validation_timeout", Duration.ZERO).orElse(d.validationTimeout()),
                p.duration("keepalive_time", Duration.ZERO).orElse(d.keepaliveTime()),
                p.duration("max_lifetime", Duration.ZERO).orElse(d.maxLifetime()),
                p.duration("connect_timeout", Duration.ZERO).orElse(d.connectTimeout()),
                p.duration("socket_timeout", Duration.ZERO).orElse(d.socketTimeout()),
                p.duration("login_timeout", Duration.ZERO).orElse(d.loginTimeout()),
                p.bool("tcp_keep_alive").orElse(d.tcpKeepAlive()),
                target[0], target[1],
                p.integer("max_queued", 0, 1_000_000).orElse(d.maxQueued()));
        // HikariCP's and PgJDBC's rules, at the key that breaks them (or the section, for a default).
        for (Map.Entry<String, String> problem : pool.problems().entrySet()) {
            p.get(problem.getKey()).map(YamlNode.class::cast).orElse(p).error(problem.getValue());
        }
        return pool;
    }

    private static void targetServerTypes(YamlNode node, TargetServerType[] target) {
        List<String> keys = TargetServerType.keys();
        if (node instanceof YamlMap both) {
            both.allowOnly("rw", "ro");
            both.oneOf("rw", keys).ifPresent(k -> target[0] = TargetServerType.of(k));
            both.oneOf("ro", keys).ifPresent(k -> target[1] = TargetServerType.of(k));
        } else {
            node.asOneOf(keys).ifPresent(k -> {
                target[0] = TargetServerType.of(k);
                target[1] = TargetServerType.of(k);
            });
        }
    }

    private static ProbeSpec probe(YamlNode node) {
        if (isOff(node)) {
            return ProbeSpec.OFF;
        }
        Optional<YamlMap> section = node.asMap();
        if (section.isEmpty()) {
            return ProbeSpec.DEFAULT;
        }
        YamlMap p = section.get();
        p.allowOnly(PROBE);
        ProbeSpec d = ProbeSpec.DEFAULT;
        ProbeSpec probe = new ProbeSpec(
                p.number("rate", 0.1, 1000).orElse(d.perSecond()),
                p.duration("connect_timeout", Duration.ofSeconds(1)).orElse(d.connectTimeout()),
                p.duration("socket_timeout", Duration.ofSeconds(1)).orElse(d.socketTimeout()),
                p.bool("read_write").orElse(d.readWrite()),
                p.bool("read_only").orElse(d.readOnly()));
        for (String key : List.of("connect_timeout", "socket_timeout")) {
            Duration value = key.equals("connect_timeout") ? probe.connectTimeout() : probe.socketTimeout();
            if (value.toMillis() % 1000 != 0) {
                p.get(key).orElseThrow().error("PgJDBC counts whole seconds: write " + Math.round(value.toMillis() / 1000.0) + "s");
            }
        }
        if (!probe.readWrite() && !probe.readOnly()) {
            p.error("a probe on neither endpoint probes nothing: write probe: off");
        }
        return probe;
    }

    /** The section that {@link #read} turns back into {@code spec}: plain maps, numbers and text of this grammar. */
    public static Map<String, Object> write(LoadSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        spec.duration().ifPresent(d -> m.put("duration", Units.formatDuration(d)));
        m.put("first_key", spec.firstKey());
        m.put("writes", workload(spec.writes()));
        m.put("reads", workload(spec.reads()));
        m.put("transfers", workload(spec.transfers()));
        m.put("balances", workload(spec.balances()));
        Map<String, Object> appends = workload(spec.appends()) instanceof Map<?, ?> w ? new LinkedHashMap<>(castMap(w)) : null;
        if (appends != null) {
            LoadSpec.Lists l = spec.lists();
            appends.putAll(ordered("keys", l.keys(), "max_appends", l.maxAppends(), "max_ops", l.maxOps(), "isolation", l.isolation().key));
            appends.remove("endpoint");
        }
        m.put("list_append", appends == null ? "off" : appends);
        m.put("bulk", spec.bulk() == null ? "off"
                : ordered("rows", spec.bulk().rows(), "batch", spec.bulk().batch(), "rate", spec.bulk().perSecond()));
        Bank b = spec.bank();
        m.put("bank", ordered("accounts", b.accounts(), "total", b.total(), "max_amount", b.maxAmount()));
        Pool p = spec.pool();
        m.put("pool", ordered("rw_size", p.rwSize(), "ro_size", p.roSize(),
                "connection_timeout", Units.formatDuration(p.connectionTimeout()),
                "validation_timeout", Units.formatDuration(p.validationTimeout()),
                "keepalive_time", Units.formatDuration(p.keepaliveTime()),
                "max_lifetime", Units.formatDuration(p.maxLifetime()),
                "connect_timeout", Units.formatDuration(p.connectTimeout()),
                "socket_timeout", Units.formatDuration(p.socketTimeout()),
                "login_timeout", Units.formatDuration(p.loginTimeout()),
                "tcp_keep_alive", p.tcpKeepAlive(),
                "target_server_type", ordered("rw", p.rwTargetServerType().key, "ro", p.roTargetServerType().key),
                "max_queued", p.maxQueued()));
        ProbeSpec probe = spec.probe();
        m.put("probe", !probe.enabled() ? "off" : ordered("rate", probe.perSecond(),
                "connect_timeout", Units.formatDuration(probe.connectTimeout()),
                "socket_timeout", Units.formatDuration(probe.socketTimeout()),
                "read_write", probe.readWrite(), "read_only", probe.readOnly()));
        return m;
    }

    private static Object workload(Workload w) {
        if (w == null) {
            return "off";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (w.profile() instanceof Profile.ConstantRate r) {
            m.put("rate", r.perSecond());
        } else if (w.profile() instanceof Profile.RampRate r) {
            m.put("ramp", ordered("from", r.from(), "to", r.to()));
        } else if (w.profile() instanceof Profile.ClosedUsers u) {
            m.put("users", u.users());
        }
        if (w.duration() != null) {
            m.put("duration", Units.formatDuration(w.duration()));
        }
        if (w.node() != null) {
            m.put("node", w.node());
        } else {
            m.put("endpoint", w.endpoint().key());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** {@code off} or {@code false}: the part is switched off. */
    private static boolean isOff(YamlNode node) {
        return node instanceof YamlScalar s && !s.isNull() && (s.text().equals("off") || s.text().equals("false"));
    }
}
