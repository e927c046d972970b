package dev.pgcert.fault;

import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds faults from a scenario's description: a kind name and its parameters, e.g.
 * {@code {kind: kill, target: primary}}, {@code {kind: partition, target: primary, from: dcs}},
 * {@code {kind: disk-full, target: primary, volume: data, fill: 100%}}, read from the YAML nodes of
 * the scenario file. Unknown kinds and unknown parameters are errors with their line and a "did you
 * mean"; durations follow {@link dev.pgcert.yaml.Units} (docs/units.md).
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
        r.register("switchover", "target (default primary: the leader to move away from), candidate (default: Patroni picks),"
                        + " scheduled_at (a delay such as 10s: Patroni switches then)",
                p -> new SwitchoverFault(p.id(), p.target("primary"), p.string("candidate"),
                        p.has("scheduled_at") ? java.util.Optional.of(p.duration("scheduled_at", Duration.ZERO)) : java.util.Optional.empty()));
        // Operators' actions, as phase steps recorded like faults (docs/schedules-and-actions.md).
        r.register("pause", "no parameters: maintenance mode (PATCH /config pause); healed by resuming",
                p -> new MaintenanceFault(p.id(), true));
        r.register("resume", "no parameters: leaves maintenance mode", p -> new MaintenanceFault(p.id(), false));
        r.register("config", "set: the dynamic configuration keys to PATCH /config, e.g. {ttl: 20}; healed by patching the old values back",
                p -> new ConfigChangeFault(p.id(), p.mapping("set")));
        r.register("failover", "candidate (a node): POST /failover to it",
                p -> new FailoverAction(p.id(), p.string("candidate").orElseThrow(() -> new FaultException("failover needs a candidate (a node name)"))));
        r.register("pg-restart", "target (default primary; a node): POST /restart, PostgreSQL restarted by Patroni",
                p -> new MemberAction(p.id(), MemberAction.Action.RESTART, p.target("primary")));
        r.register("reinit", "target (default replica; a node that is not the leader): POST /reinitialize, a new clone",
                p -> new MemberAction(p.id(), MemberAction.Action.REINIT, p.target("replica")));
        r.register(PrimaryClusterLossFault.KIND, "no parameters: SIGKILL of every node of the primary cluster; not undone by heal"
                        + " (a disaster-recovery drill)", p -> new PrimaryClusterLossFault(p.id()));
        r.register(StandbyPromoteFault.KIND, "no parameters: promotes the standby cluster (PATCH /config removing standby_cluster"
                        + " on its leader); not undone by heal", p -> new StandbyPromoteFault(p.id()));
        LinkFaults.register(r);
        BackupSteps.register(r);
        registerIssue14(r);
        return r;
    }

    /** Clock skew, partitions between groups, paused processes and replay, wiped data, a PostgreSQL that cannot start, a new member, packet loss. */
    private static void registerIssue14(FaultRegistry r) {
        r.register("clock-skew", "target (default primary; a node), ahead: DURATION or behind: DURATION (whole seconds)",
                p -> {
                    Optional<Duration> ahead = p.node("ahead").isPresent() ? Optional.of(p.duration("ahead", Duration.ZERO)) : Optional.empty();
                    Optional<Duration> behind = p.node("behind").isPresent() ? Optional.of(p.duration("behind", Duration.ZERO)) : Optional.empty();
                    if (p.failed()) {
                        return new ClockSkewFault(p.id(), p.target("primary"), Duration.ofSeconds(1), true); // not built: see failed()
                    }
                    if (ahead.isPresent() == behind.isPresent()) {
                        throw new FaultException("clock-skew needs exactly one of ahead: DURATION or behind: DURATION");
                    }
                    return new ClockSkewFault(p.id(), p.target("primary"), ahead.orElseGet(behind::get), ahead.isPresent());
                });
        r.register("partition-groups", "groups: [[names or roles], [...]] or shape: random-halves|isolated|bridge|majorities-ring,"
                        + " seed (a whole number; default the run's seed)",
                p -> {
                    var groups = p.listOfLists("groups");
                    var shape = p.node("shape").isPresent()
                            ? Optional.of(p.parse("shape", "random-halves", PartitionShapes.Shape::parse)) : Optional.<PartitionShapes.Shape>empty();
                    var seed = p.node("seed").isPresent()
                            ? java.util.OptionalLong.of(p.whole("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)) : java.util.OptionalLong.empty();
                    return p.failed() // not built: see failed()
                            ? new PartitionGroupsFault(p.id(), Optional.empty(), Optional.of(PartitionShapes.Shape.ISOLATED), seed)
                            : new PartitionGroupsFault(p.id(), groups, shape, seed);
                });
        r.register("pause-process", "process: walreceiver|startup|walsender|checkpointer, target (default replica for"
                        + " walreceiver and startup, primary for walsender and checkpointer), to (walsender: the replica it serves)",
                p -> {
                    PauseProcessFault.Process process = p.required("process", PauseProcessFault.Process::parse)
                            .orElse(PauseProcessFault.Process.WALRECEIVER);
                    return new PauseProcessFault(p.id(), p.target(process.defaultTarget()), process, p.string("to"));
                });
        r.register("wal-replay-pause", "target (default replica)", p -> new WalReplayPauseFault(p.id(), p.target("replica")));
        r.register("wipe-data", "target (default replica; a node)", p -> new WipeDataFault(p.id(), p.target("replica")));
        r.register("postgres-cannot-start", "target (default primary; a node), setting (default "
                        + PostgresCannotStartFault.DEFAULT_SETTING + ")",
                p -> new PostgresCannotStartFault(p.id(), p.target("primary"),
                        p.string("setting", PostgresCannotStartFault.DEFAULT_SETTING)));
        r.register("add-member", "name (default node-added): the new member's name", p -> new AddMemberFault(p.id(),
                p.string("name", "node-added")));
        r.register("packet-loss", "target (default primary), loss: percent (default 20%), from: all|dcs|nodes|replicas|clients"
                        + " (default all), direction: both|in|out (default both)",
                p -> PartitionFault.packetLoss(p.id(), p.target("primary"),
                        p.parse("from", "all", PartitionFault.From::parse),
                        p.parse("direction", "both", IptablesChain.Direction::parse), p.percent("loss", 20)));
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

    /**
     * A fault from its id and its YAML mapping ({@code kind} plus the kind's parameters). Every problem
     * (no kind, an unknown kind, a bad or unknown parameter) is recorded on its node, with its line;
     * the result is empty when there was any.
     */
    public Optional<Fault> create(String id, YamlMap spec) {
        int errorsBefore = spec.problems().errorCount();
        Optional<String> kind = spec.required("kind").flatMap(YamlNode::asString).map(String::strip);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = kinds.get(kind.get());
        if (entry == null) {
            spec.get("kind").orElseThrow().error("unknown fault kind '" + kind.get() + "'"
                    + Suggestions.closest(kind.get(), kinds()).map(k -> "; did you mean '" + k + "'?")
                            .orElse("; known kinds: " + String.join(", ", kinds())));
            return Optional.empty();
        }
        FaultParams p = new FaultParams(id, kind.get(), spec);
        Fault fault;
        try {
            fault = entry.factory().create(p);
        } catch (FaultException | IllegalArgumentException e) {
            spec.error(e.getMessage());
            return Optional.empty();
        }
        p.rejectUnknown();
        return spec.problems().errorCount() > errorsBefore ? Optional.empty() : Optional.of(fault);
    }

    /**
     * A fault from values given in code ({@code Map.of("kind", "kill", "target", "primary")}), read by
     * the same typed readers as a scenario file's.
     *
     * @throws FaultException with every problem, one per line
     */
    public Fault create(String id, Map<String, ?> spec) {
        YamlDocument doc = YamlDocument.fromValues(spec, "fault " + id);
        Optional<Fault> fault = doc.rootMap().flatMap(m -> create(id, m));
        if (fault.isEmpty() || doc.problems().hasErrors()) {
            throw new FaultException(doc.problems().all().stream().map(Problem::format).collect(Collectors.joining("\n")));
        }
        return fault.get();
    }
}
