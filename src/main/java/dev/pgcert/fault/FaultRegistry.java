package dev.pgcert.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds faults from a scenario's description: a kind name and its parameters, e.g.
 * {@code {kind: kill, target: primary}}, {@code {kind: partition, target: primary, from: dcs}},
 * {@code {kind: disk-full, target: primary, volume: data, fill: 100%}}. Unknown kinds and unknown
 * parameters are errors that list what is known.
 *
 * <p>Link faults (latency, bandwidth, packet loss on one link) go through Toxiproxy; their kinds are
 * reserved here (see {@link LinkFaults}) and are plugged in with {@link #register} once the cluster
 * wires Toxiproxy into its links.
 */
public final class FaultRegistry {

    @FunctionalInterface
    public interface Factory {
        Fault create(FaultParams params);
    }

    private record Entry(String help, Factory factory) {}

    /** How long a clean stop may take before Docker sends SIGKILL: PostgreSQL's fast shutdown checkpoints. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private final Map<String, Entry> kinds = new LinkedHashMap<>();

    public static FaultRegistry standard() {
        FaultRegistry r = new FaultRegistry();
        for (ContainerFault.Action a : ContainerFault.Action.values()) {
            r.register(a.kind, "target (default primary; a node, etcd member, router or pgbouncer)"
                            + (a == ContainerFault.Action.STOP || a == ContainerFault.Action.RESTART ? ", grace (default 30s)" : ""),
                    p -> new ContainerFault(p.id(), a, p.target("primary"),
                            a == ContainerFault.Action.STOP || a == ContainerFault.Action.RESTART
                                    ? p.duration("grace", DEFAULT_GRACE) : DEFAULT_GRACE));
        }
        for (ProcessFault.Action a : ProcessFault.Action.values()) {
            r.register(a.kind, "target (default primary; a node)", p -> new ProcessFault(p.id(), a, p.target("primary")));
        }
        r.register("etcd-kill", "target (default etcd: any member; or etcd:N)",
                p -> new ContainerFault(p.id(), "etcd-kill", ContainerFault.Action.KILL, p.target("etcd"), DEFAULT_GRACE));
        r.register("etcd-quorum-loss", "no parameters: kills a majority of the etcd members",
                p -> new EtcdQuorumLossFault(p.id()));
        r.register("partition", "target (default primary), from: all|dcs|nodes|replicas|clients (default all),"
                        + " direction: both|in|out (default both)",
                p -> new PartitionFault(p.id(), p.target("primary"),
                        p.parse("from", "all", PartitionFault.From::parse),
                        p.parse("direction", "both", IptablesChain.Direction::parse)));
        r.register("split", "target (default primary), side: minority|majority (default minority)",
                p -> new SplitFault(p.id(), p.target("primary"), p.parse("side", "minority", FaultRegistry::minority)));
        r.register("disk-full", "target (default primary), volume: data|wal (default data), fill: percent or full (default 100%)",
                p -> new DiskFillFault(p.id(), p.target("primary"),
                        p.parse("volume", "data", DiskFillFault.Volume::parse), p.percent("fill", 100)));
        LinkFaults.register(r);
        return r;
    }

    private static boolean minority(String side) {
        return switch (side.toLowerCase(java.util.Locale.ROOT)) {
            case "minority" -> true;
            case "majority" -> false;
            default -> throw new FaultException("side '" + side + "': expected minority or majority");
        };
    }

    /** Adds or replaces a kind. */
    public FaultRegistry register(String kind, String help, Factory factory) {
        kinds.put(kind, new Entry(help, factory));
        return this;
    }

    public Set<String> kinds() {
        return new TreeSet<>(kinds.keySet());
    }

    public String help(String kind) {
        Entry e = kinds.get(kind);
        return e == null ? null : e.help();
    }

    /** A fault from its id and its spec: {@code kind} plus the kind's parameters. */
    public Fault create(String id, Map<String, ?> spec) {
        Object kind = spec.get("kind");
        if (kind == null) {
            throw new FaultException("fault " + id + ": no kind; known kinds: " + String.join(", ", kinds()));
        }
        Entry entry = kinds.get(kind.toString());
        if (entry == null) {
            throw new FaultException("fault " + id + ": unknown kind '" + kind + "'; known kinds: " + String.join(", ", kinds()));
        }
        Map<String, Object> params = new LinkedHashMap<>(spec);
        params.remove("kind");
        FaultParams p = new FaultParams(id, kind.toString(), params);
        Fault fault = entry.factory().create(p);
        p.requireAllUsed();
        return fault;
    }
}
