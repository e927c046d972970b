package dev.pgcert.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code partition-groups}: a network partition between groups of the run's containers, given by name
 * ({@code groups: [[node1], [node2, node3, etcd]]}) or as one of Jepsen's shapes over the PostgreSQL
 * nodes and the etcd members ({@code shape: random-halves | isolated | bridge | majorities-ring}, see
 * {@link PartitionShapes}). The router and PgBouncer stay outside a shape and reach everyone; in named
 * groups a container that no group lists is not cut from anyone.
 *
 * <p>A group names containers ({@code node1}, {@code etcd2}, {@code router}, {@code pgbouncer}) or
 * roles resolved when the fault starts: {@code primary}, {@code replicas} (every node but the leader),
 * {@code nodes}, {@code etcd} (every member), and any single {@link Target} ({@code replica},
 * {@code etcd:2}). Random choices (a shape, {@code replica}) come from {@code seed} when it is given,
 * so the same seed and the same cluster give the same groups; else from the run's seeded source.
 *
 * <p>Each container drops, with an iptables chain of its own (see {@link IptablesChain}), the packets
 * that come from the members it holds a grudge against; both ends of a symmetric cut do so, and a
 * majorities ring's one-way grudges are exactly one-way. Links through Toxiproxy are cut by the
 * proxy's port at the end that connects to it (see {@link ProxiedPaths}). The chosen groups and the
 * grudge are recorded in the fault's detail on the history.
 */
public final class PartitionGroupsFault extends AbstractFault {
    private final List<List<String>> groupSpecs;
    private final PartitionShapes.Shape shape;
    private final OptionalLong seed;
    private final IptablesChain inChain;
    private final IptablesChain outChain;
    private final List<Component> ruled = new ArrayList<>();

    /** Exactly one of {@code groups} (two or more) and {@code shape}. */
    public PartitionGroupsFault(String id, Optional<List<List<String>>> groups, Optional<PartitionShapes.Shape> shape,
                                OptionalLong seed) {
        super(id, "partition-groups", new Target.Named("groups"));
        if (groups.isPresent() == shape.isPresent()) {
            throw new FaultException("partition-groups needs either groups: [[...], [...]] or shape:"
                    + " random-halves|isolated|bridge|majorities-ring (not both)");
        }
        if (groups.isPresent() && groups.get().size() < 2) {
            throw new FaultException("partition-groups needs at least two groups, got " + groups.get().size());
        }
        if (groups.isPresent()) {
            Set<String> seen = new TreeSet<>();
            for (List<String> g : groups.get()) {
                for (String name : g) {
                    if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                        throw new FaultException("'" + name + "' is in more than one group");
                    }
                }
            }
        }
        this.groupSpecs = groups.map(List::copyOf).orElse(List.of());
        this.shape = shape.orElse(null);
        this.seed = seed;
        this.inChain = new IptablesChain(id);
        this.outChain = new IptablesChain(id + "-o");
    }

    @Override
    protected void inject(FaultContext context) {
        TargetResolver targets = context.targets();
        Random random = seed.isPresent() ? new Random(seed.getAsLong()) : context.random();
        seed.ifPresent(s -> note("seed", s));
        PartitionShapes.Cut cut;
        if (shape != null) {
            List<String> members = targets.all().stream()
                    .filter(c -> c.isNode() || c.type() == Component.Type.ETCD).map(Component::name).toList();
            cut = PartitionShapes.of(shape, members, random);
            note("shape", shape.spec);
        } else {
            cut = PartitionShapes.groups(resolveGroups(targets, random));
        }
        resolvedTo(String.join(" | ", cut.groups().isEmpty() ? List.of(shape.spec)
                : cut.groups().stream().map(g -> String.join(",", g)).toList()));
        if (!cut.groups().isEmpty()) note("groups", cut.groups());
        note("drops_from", PartitionShapes.describe(cut.grudge()));
        note("chain", inChain.name());

        DockerOps docker = context.docker();
        Map<String, String> ips = new LinkedHashMap<>();
        for (String name : cut.grudge().keySet()) {
            ips.put(name, docker.ip(targets.named(name)));
        }
        // Per container: addresses to drop incoming, proxy ports to drop incoming and outgoing.
        Map<String, Set<String>> inIps = new LinkedHashMap<>();
        Map<String, Set<IptablesChain.ProxyPort>> inPorts = new LinkedHashMap<>();
        Map<String, Set<IptablesChain.ProxyPort>> outPorts = new LinkedHashMap<>();
        List<String> proxiedCuts = new ArrayList<>();
        cut.grudge().forEach((member, drops) -> {
            for (String from : drops) {
                inIps.computeIfAbsent(member, k -> new LinkedHashSet<>()).add(ips.get(from));
            }
            context.links().ifPresent(links -> {
                for (ProxiedPaths.Cut c : ProxiedPaths.between(member, drops, links.routes(), links.networkAddress(),
                        IptablesChain.Direction.IN)) {
                    (c.direction() == IptablesChain.Direction.IN ? inPorts : outPorts)
                            .computeIfAbsent(c.container(), k -> new LinkedHashSet<>()).add(c.port());
                    proxiedCuts.add(c.container() + ":" + c.port().port() + ":" + c.direction().name().toLowerCase(Locale.ROOT));
                }
            });
        });
        if (!proxiedCuts.isEmpty()) note("proxied_links_cut", proxiedCuts);
        Set<String> containers = new LinkedHashSet<>(inIps.keySet());
        containers.addAll(inPorts.keySet());
        containers.addAll(outPorts.keySet());
        for (String name : containers) {
            Component c = targets.named(name);
            ruled.add(c);
            Set<String> addresses = inIps.getOrDefault(name, Set.of());
            Set<IptablesChain.ProxyPort> in = inPorts.getOrDefault(name, Set.of());
            if (!addresses.isEmpty() || !in.isEmpty()) {
                docker.execRoot(c, inChain.installScript(addresses, in, IptablesChain.Direction.IN));
            }
            Set<IptablesChain.ProxyPort> out = outPorts.getOrDefault(name, Set.of());
            if (!out.isEmpty()) {
                docker.execRoot(c, outChain.installScript(List.of(), out, IptablesChain.Direction.OUT));
            }
        }
    }

    /** Each group's entries as containers; an entry may stand for several ({@code etcd}, {@code replicas}). */
    private List<List<String>> resolveGroups(TargetResolver targets, Random random) {
        TargetResolver seeded = targets.withRandom(random);
        List<List<String>> groups = new ArrayList<>();
        Map<String, Integer> placed = new LinkedHashMap<>();
        for (List<String> spec : groupSpecs) {
            Set<String> members = new LinkedHashSet<>();
            for (String entry : spec) {
                members.addAll(expand(seeded, entry));
            }
            for (String m : members) {
                Integer before = placed.put(m, groups.size());
                if (before != null && before != groups.size()) {
                    throw new FaultException("partition-groups: " + m + " would be in group " + (before + 1)
                            + " and in group " + (groups.size() + 1) + " (groups " + groupSpecs + ")");
                }
            }
            groups.add(List.copyOf(members));
        }
        return groups;
    }

    private static List<String> expand(TargetResolver targets, String entry) {
        String e = entry.trim().toLowerCase(Locale.ROOT);
        List<Component> all = targets.all();
        return switch (e) {
            case "etcd", "dcs" -> all.stream().filter(c -> c.type() == Component.Type.ETCD).map(Component::name).toList();
            case "nodes" -> all.stream().filter(Component::isNode).map(Component::name).toList();
            case "replicas" -> {
                String leader = targets.leader().name();
                yield all.stream().filter(Component::isNode).map(Component::name).filter(n -> !n.equals(leader)).toList();
            }
            default -> List.of(targets.resolve(Target.parse(entry)).name());
        };
    }

    @Override
    protected void repair(FaultContext context) {
        context.docker().removeRules(ruled, inChain.removeScript() + "; " + outChain.removeScript(), "partition-groups " + id());
    }
}
