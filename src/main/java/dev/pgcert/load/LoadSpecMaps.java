package dev.pgcert.load;

import dev.pgcert.load.LoadSpec.Bank;
import dev.pgcert.load.LoadSpec.Pool;
import dev.pgcert.load.LoadSpec.Workload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The map form of {@link LoadSpec} (a scenario file's {@code load:} section): parsing and writing. */
final class LoadSpecMaps {

    private static final Set<String> TOP = Set.of("duration", "first_key", "writes", "reads", "transfers", "balances", "bank", "pool");
    private static final Set<String> WORKLOAD = Set.of("rate", "ramp", "users", "duration", "endpoint");
    private static final Set<String> RAMP = Set.of("from", "to");
    private static final Set<String> BANK = Set.of("accounts", "total", "max_amount");
    private static final Set<String> POOL = Set.of("size", "ro_size", "connection_timeout", "validation_timeout",
            "socket_timeout", "connect_timeout", "login_timeout", "max_lifetime", "max_queued");

    private LoadSpecMaps() {}

    static LoadSpec fromMap(Map<String, ?> map) {
        checkKeys("load", map, TOP);
        Duration duration = map.containsKey("duration") ? DurationText.parse(map.get("duration"), "load.duration") : Duration.ofSeconds(60);
        Workload writes = workload(map, "writes", Profile.rate(100), Endpoint.RW);
        Workload reads = workload(map, "reads", Profile.rate(20), Endpoint.RO);
        Workload transfers = workload(map, "transfers", null, Endpoint.RW);
        Workload balances = workload(map, "balances", transfers == null ? null : Profile.rate(2), Endpoint.RW);
        return new LoadSpec(duration, writes, reads, transfers, balances, bank(map.get("bank")), pool(map.get("pool")),
                map.containsKey("first_key") ? longValue(map.get("first_key"), "load.first_key") : 1);
    }

    private static Workload workload(Map<String, ?> top, String name, Profile defaultProfile, Endpoint defaultEndpoint) {
        String where = "load." + name;
        if (!top.containsKey(name)) {
            return defaultProfile == null ? null : new Workload(defaultProfile, null, defaultEndpoint);
        }
        Object raw = top.get(name);
        if (raw == null || Boolean.FALSE.equals(raw) || "off".equals(raw) || "false".equals(raw)) {
            return null;
        }
        Map<String, ?> w = section(raw, where);
        checkKeys(where, w, WORKLOAD);
        int kinds = (w.containsKey("rate") ? 1 : 0) + (w.containsKey("ramp") ? 1 : 0) + (w.containsKey("users") ? 1 : 0);
        if (kinds > 1) {
            throw new IllegalArgumentException(where + ": give one of rate, ramp, users");
        }
        Profile profile = defaultProfile;
        if (w.containsKey("rate")) {
            profile = Profile.rate(doubleValue(w.get("rate"), where + ".rate"));
        } else if (w.containsKey("ramp")) {
            Map<String, ?> r = section(w.get("ramp"), where + ".ramp");
            checkKeys(where + ".ramp", r, RAMP);
            if (!r.containsKey("from") || !r.containsKey("to")) {
                throw new IllegalArgumentException(where + ".ramp: needs from and to (ops/s)");
            }
            profile = Profile.ramp(doubleValue(r.get("from"), where + ".ramp.from"), doubleValue(r.get("to"), where + ".ramp.to"));
        } else if (w.containsKey("users")) {
            profile = Profile.users((int) longValue(w.get("users"), where + ".users"));
        }
        if (profile == null) {
            throw new IllegalArgumentException(where + ": give one of rate, ramp, users");
        }
        Duration d = w.containsKey("duration") ? DurationText.parse(w.get("duration"), where + ".duration") : null;
        Endpoint e = w.containsKey("endpoint") ? Endpoint.parse(String.valueOf(w.get("endpoint"))) : defaultEndpoint;
        return new Workload(profile, d, e);
    }

    private static Bank bank(Object raw) {
        if (raw == null) {
            return Bank.DEFAULT;
        }
        Map<String, ?> b = section(raw, "load.bank");
        checkKeys("load.bank", b, BANK);
        Bank d = Bank.DEFAULT;
        return new Bank(
                b.containsKey("accounts") ? (int) longValue(b.get("accounts"), "load.bank.accounts") : d.accounts(),
                b.containsKey("total") ? longValue(b.get("total"), "load.bank.total") : d.total(),
                b.containsKey("max_amount") ? longValue(b.get("max_amount"), "load.bank.max_amount") : d.maxAmount());
    }

    private static Pool pool(Object raw) {
        if (raw == null) {
            return Pool.DEFAULT;
        }
        Map<String, ?> p = section(raw, "load.pool");
        checkKeys("load.pool", p, POOL);
        Pool d = Pool.DEFAULT;
        return new Pool(
                p.containsKey("size") ? (int) longValue(p.get("size"), "load.pool.size") : d.rwSize(),
                p.containsKey("ro_size") ? (int) longValue(p.get("ro_size"), "load.pool.ro_size") : d.roSize(),
                duration(p, "connection_timeout", d.connectionTimeout()),
                duration(p, "validation_timeout", d.validationTimeout()),
                duration(p, "socket_timeout", d.socketTimeout()),
                duration(p, "connect_timeout", d.connectTimeout()),
                duration(p, "login_timeout", d.loginTimeout()),
                duration(p, "max_lifetime", d.maxLifetime()),
                p.containsKey("max_queued") ? (int) longValue(p.get("max_queued"), "load.pool.max_queued") : d.maxQueued());
    }

    static Map<String, Object> toMap(LoadSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("duration", DurationText.format(spec.duration()));
        m.put("first_key", spec.firstKey());
        m.put("writes", workloadMap(spec.writes()));
        m.put("reads", workloadMap(spec.reads()));
        m.put("transfers", workloadMap(spec.transfers()));
        m.put("balances", workloadMap(spec.balances()));
        Bank b = spec.bank();
        m.put("bank", new LinkedHashMap<>(Map.of("accounts", b.accounts(), "total", b.total(), "max_amount", b.maxAmount())));
        Pool p = spec.pool();
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("size", p.rwSize());
        pool.put("ro_size", p.roSize());
        pool.put("connection_timeout", DurationText.format(p.connectionTimeout()));
        pool.put("validation_timeout", DurationText.format(p.validationTimeout()));
        pool.put("socket_timeout", DurationText.format(p.socketTimeout()));
        pool.put("connect_timeout", DurationText.format(p.connectTimeout()));
        pool.put("login_timeout", DurationText.format(p.loginTimeout()));
        pool.put("max_lifetime", DurationText.format(p.maxLifetime()));
        pool.put("max_queued", p.maxQueued());
        m.put("pool", pool);
        return m;
    }

    private static Object workloadMap(Workload w) {
        if (w == null) {
            return "off";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        Profile p = w.profile();
        if (p instanceof Profile.ConstantRate r) {
            m.put("rate", r.perSecond());
        } else if (p instanceof Profile.RampRate r) {
            m.put("ramp", new LinkedHashMap<>(Map.of("from", r.from(), "to", r.to())));
        } else if (p instanceof Profile.ClosedUsers u) {
            m.put("users", u.users());
        }
        if (w.duration() != null) {
            m.put("duration", DurationText.format(w.duration()));
        }
        m.put("endpoint", w.endpoint().key());
        return m;
    }

    private static Duration duration(Map<String, ?> m, String key, Duration fallback) {
        return m.containsKey(key) ? DurationText.parse(m.get(key), "load.pool." + key) : fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> section(Object raw, String where) {
        if (raw instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw new IllegalArgumentException(where + ": keys must be strings, got " + k);
                }
            }
            return (Map<String, ?>) m;
        }
        throw new IllegalArgumentException(where + ": expected a mapping, got '" + raw + "'");
    }

    private static void checkKeys(String where, Map<String, ?> map, Set<String> known) {
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static long longValue(Object raw, String where) {
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(raw).trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": not a whole number: '" + raw + "'");
        }
    }

    private static double doubleValue(Object raw, String where) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": not a number: '" + raw + "'");
        }
    }
}
