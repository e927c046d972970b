package dev.pgcert.fault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A majority/minority split of the PostgreSQL nodes and the etcd members: the minority side holds
 * {@code floor((n-1)/2)} of the n nodes and {@code floor((e-1)/2)} of the e etcd members, the
 * majority the rest; no packet crosses between the sides. The target is put on the side {@code side}
 * names (minority by default: "the primary ends up in the minority"); the other places are filled by a
 * seeded random choice. The router and PgBouncer stay outside the split and reach both sides.
 *
 * <p>Rules go into every minority container (both directions), which alone cuts every crossing path.
 */
public final class SplitFault extends AbstractFault {
    private final boolean targetInMinority;
    private final IptablesChain chain;
    private final List<Component> ruled = new ArrayList<>();

    public SplitFault(String id, Target target, boolean targetInMinority) {
        super(id, "split", target);
        this.targetInMinority = targetInMinority;
        this.chain = new IptablesChain(id);
    }

    @Override
    protected void inject(FaultContext context) {
        TargetResolver targets = context.targets();
        Component anchor = targets.resolve(target);
        List<Component> nodes = new ArrayList<>(targets.all().stream().filter(Component::isNode).toList());
        List<Component> etcd = new ArrayList<>(targets.all().stream().filter(c -> c.type() == Component.Type.ETCD).toList());
        if (!anchor.isNode() && anchor.type() != Component.Type.ETCD) {
            throw new FaultException("split needs a node or an etcd member as target, not " + anchor.name());
        }
        List<Component> minority = new ArrayList<>();
        minority.addAll(pickSide(nodes, (nodes.size() - 1) / 2, anchor, context));
        minority.addAll(pickSide(etcd, (etcd.size() - 1) / 2, anchor, context));
        List<Component> majority = new ArrayList<>(nodes);
        majority.addAll(etcd);
        majority.removeAll(minority);
        if (minority.isEmpty()) {
            throw new FaultException("split: a cluster of " + nodes.size() + " node(s) and " + etcd.size()
                    + " etcd member(s) has no minority side to cut off");
        }
        resolvedTo(anchor.name());
        DockerOps docker = context.docker();
        Map<String, String> majorityIps = new LinkedHashMap<>();
        for (Component c : majority) {
            majorityIps.put(c.name(), docker.ip(c));
        }
        note("minority", minority.stream().map(Component::name).toList());
        note("majority", List.copyOf(majorityIps.keySet()));
        note("chain", chain.name());
        // Links through Toxiproxy carry the proxy's address: cut each crossing one by its port, at the end
        // that connects to the proxy (which may be on the majority side).
        Map<String, List<IptablesChain.ProxyPort>> proxied = new LinkedHashMap<>();
        context.links().ifPresent(links -> {
            for (Component c : minority) {
                for (ProxiedPaths.Cut cut : ProxiedPaths.between(c.name(), majorityIps.keySet(), links.routes(),
                        links.networkAddress(), IptablesChain.Direction.BOTH)) {
                    proxied.computeIfAbsent(cut.container(), k -> new ArrayList<>()).add(cut.port());
                }
            }
        });
        if (!proxied.isEmpty()) {
            note("proxied_links_cut", proxied.entrySet().stream()
                    .flatMap(e -> e.getValue().stream().map(p -> e.getKey() + ":" + p.port())).toList());
        }
        for (Component c : minority) {
            ruled.add(c);
            docker.execRoot(c, chain.installScript(majorityIps.values(), proxied.getOrDefault(c.name(), List.of()),
                    IptablesChain.Direction.BOTH));
        }
        for (Component c : majority) {
            if (proxied.containsKey(c.name())) {
                ruled.add(c);
                docker.execRoot(c, chain.installScript(List.of(), proxied.get(c.name()), IptablesChain.Direction.BOTH));
            }
        }
    }

    /** {@code size} members of {@code group} for the minority, with or without the anchor as asked. */
    private List<Component> pickSide(List<Component> group, int size, Component anchor, FaultContext context) {
        List<Component> candidates = new ArrayList<>(group);
        List<Component> chosen = new ArrayList<>();
        boolean anchorHere = candidates.remove(anchor);
        if (anchorHere && targetInMinority) {
            if (size == 0) {
                throw new FaultException("split: " + anchor.name() + " cannot be in a minority of its " + group.size()
                        + "-member group");
            }
            chosen.add(anchor);
        }
        Collections.shuffle(candidates, context.random());
        while (chosen.size() < size && !candidates.isEmpty()) {
            chosen.add(candidates.remove(0));
        }
        return chosen;
    }

    @Override
    protected void repair(FaultContext context) {
        context.docker().removeRules(ruled, chain.removeScript(), "split " + id());
    }

    @Override
    protected Aim aim() {
        return Aim.COMPONENT;
    }
}
