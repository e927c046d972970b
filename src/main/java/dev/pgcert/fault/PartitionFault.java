package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Replication;

import java.sql.SQLException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cuts one component off from a group of peers with iptables DROP rules inside the target's own
 * network namespace (see {@link IptablesChain}). Peers are resolved when the fault starts, by role and
 * by their current addresses on the run's network:
 * <ul>
 *   <li>{@code all}: every other container of the run (nodes, etcd, router, PgBouncer);</li>
 *   <li>{@code dcs}: every etcd member;</li>
 *   <li>{@code nodes}: every other PostgreSQL node;</li>
 *   <li>{@code replicas}: the nodes streaming from the target (its pg_stat_replication, and the members
 *       Patroni says replicate from it);</li>
 *   <li>{@code clients}: the router and PgBouncer.</li>
 * </ul>
 * {@code direction} {@code in} or {@code out} makes it one-way. The same peers and rules, dropping only
 * a share of the packets at random ({@code -m statistic --mode random}), are the {@code packet-loss}
 * kind: TCP retransmits what is lost, so the link slows and stalls rather than breaks. The harness itself (on the Docker host,
 * through published ports) still reaches the target: observation is not part of the partition.
 */
public final class PartitionFault extends AbstractFault {

    public enum From {
        ALL, DCS, NODES, REPLICAS, CLIENTS;

        static From parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new FaultException("from '" + s + "': expected all, dcs, nodes, replicas or clients");
            }
        }
    }

    private final From from;
    private final IptablesChain.Direction direction;
    /** 100 for a partition; less for packet-loss. */
    private final double lossPercent;
    private final IptablesChain chain;
    private Component component;
    /** Peers where the chain cuts a proxied link (see {@link ProxiedPaths}); healed with the target. */
    private final List<Component> cutAtPeers = new ArrayList<>();

    public PartitionFault(String id, Target target, From from, IptablesChain.Direction direction) {
        this(id, "partition", target, from, direction, 100);
    }

    /** {@code packet-loss}: the partition's rules, each dropping {@code lossPercent} of the packets at random. */
    public static PartitionFault packetLoss(String id, Target target, From from, IptablesChain.Direction direction,
                                            double lossPercent) {
        return new PartitionFault(id, "packet-loss", target, from, direction, lossPercent);
    }

    private PartitionFault(String id, String kind, Target target, From from, IptablesChain.Direction direction,
                           double lossPercent) {
        super(id, kind, target);
        this.from = from;
        this.direction = direction;
        this.lossPercent = lossPercent;
        this.chain = new IptablesChain(id, lossPercent);
    }

    @Override
    protected void inject(FaultContext context) {
        TargetResolver targets = context.targets();
        component = targets.resolve(target);
        resolvedTo(component.name());
        DockerOps docker = context.docker();
        Map<String, String> peers = new LinkedHashMap<>();
        for (Component peer : peers(targets, context.replication())) {
            peers.put(peer.name(), docker.ip(peer));
        }
        if (peers.isEmpty()) {
            throw new FaultException(kind() + " of " + component.name() + " from " + from.name().toLowerCase(Locale.ROOT)
                    + ": no such peers now");
        }
        note("from", from.name().toLowerCase(Locale.ROOT));
        note("direction", direction.name().toLowerCase(Locale.ROOT));
        note("peers", peers);
        note("chain", chain.name());
        if (lossPercent < 100) note("loss_percent", lossPercent);
        Map<String, List<ProxiedPaths.Cut>> cuts = proxiedCuts(context, peers.keySet());
        List<IptablesChain.ProxyPort> ownPorts = cuts.getOrDefault(component.name(), List.of()).stream()
                .map(ProxiedPaths.Cut::port).toList();
        docker.execRoot(component, chain.installScript(peers.values(), ownPorts, direction));
        for (Map.Entry<String, List<ProxiedPaths.Cut>> atPeer : cuts.entrySet()) {
            if (atPeer.getKey().equals(component.name())) continue;
            Component peer = targets.named(atPeer.getKey());
            if (docker.state(peer) != DockerOps.State.RUNNING) {
                note("not_cut_" + peer.name(), "its proxied links: " + docker.state(peer).name().toLowerCase(Locale.ROOT));
                continue;
            }
            cutAtPeers.add(peer);
            docker.execRoot(peer, chain.installScript(List.of(),
                    atPeer.getValue().stream().map(ProxiedPaths.Cut::port).toList(), direction.reversed()));
        }
    }

    /** The target's proxied links to its peers, by the container each is cut in. */
    private Map<String, List<ProxiedPaths.Cut>> proxiedCuts(FaultContext context, Set<String> peerNames) {
        Map<String, List<ProxiedPaths.Cut>> byContainer = new LinkedHashMap<>();
        context.links().ifPresent(links -> {
            List<ProxiedPaths.Cut> cuts = ProxiedPaths.between(component.name(), peerNames, links.routes(),
                    links.networkAddress(), direction);
            for (ProxiedPaths.Cut cut : cuts) {
                byContainer.computeIfAbsent(cut.container(), k -> new ArrayList<>()).add(cut);
            }
            if (!cuts.isEmpty()) {
                note("proxied_links_cut", cuts.stream().map(c -> c.container() + ":" + c.port().port()).toList());
            }
        });
        return byContainer;
    }

    private List<Component> peers(TargetResolver targets, Replication replication) {
        List<Component> others = targets.all().stream().filter(c -> !c.name().equals(component.name())).toList();
        return switch (from) {
            case ALL -> others;
            case DCS -> others.stream().filter(c -> c.type() == Component.Type.ETCD).toList();
            case NODES -> others.stream().filter(Component::isNode).toList();
            case CLIENTS -> others.stream()
                    .filter(c -> c.type() == Component.Type.ROUTER || c.type() == Component.Type.POOLER).toList();
            case REPLICAS -> replicasOf(targets, replication).stream().map(targets::named).toList();
        };
    }

    /** Who streams from the target: PostgreSQL's own view, plus whom Patroni means to stream from it. */
    private Set<String> replicasOf(TargetResolver targets, Replication replication) {
        if (!component.isNode()) {
            throw new FaultException("partition from replicas needs a PostgreSQL node as target, not " + component.name());
        }
        Set<String> names = new LinkedHashSet<>();
        try {
            names.addAll(replication.states(component.name()).keySet());
        } catch (SQLException e) {
            note("pg_stat_replication", component.name() + " unreachable: " + e.getMessage());
        }
        ClusterView view = targets.view();
        boolean targetLeads = view.leader().map(l -> l.name().equals(component.name())).orElse(false);
        for (ClusterView.Member m : view.members()) {
            if (m.name().equals(component.name())) continue;
            boolean fromTarget = m.replicateFrom().map(component.name()::equals).orElse(targetLeads && !m.isLeader());
            if (fromTarget) names.add(m.name());
        }
        names.removeIf(n -> !targets.all().stream().map(Component::name).toList().contains(n));
        return names;
    }

    @Override
    protected void repair(FaultContext context) {
        if (component == null) {
            return;
        }
        DockerOps docker = context.docker();
        List<Component> touched = new ArrayList<>(cutAtPeers);
        touched.add(0, component);
        for (Component c : touched) {
            // A stopped container lost its network namespace, and the rules with it.
            if (docker.state(c) != DockerOps.State.STOPPED) {
                docker.execRoot(c, chain.removeScript());
            }
        }
    }

    @Override
    protected Aim aim() {
        return Aim.COMPONENT;
    }
}
