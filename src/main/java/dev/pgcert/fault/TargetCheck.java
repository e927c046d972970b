package dev.pgcert.fault;

import dev.pgcert.topology.StandbyCluster;
import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.Suggestions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The check, while a scenario is read, that a fault's target can exist in the topology: a named
 * component the run will have, an etcd member within the DCS's size, a standby member of a standby
 * cluster, and for a fault that works inside PostgreSQL or Patroni ({@link AbstractFault.Aim#NODE}) a
 * node rather than etcd, the router or PgBouncer. Roles (primary, replica, ...) are resolved at start.
 */
final class TargetCheck {
    private TargetCheck() {}

    static Optional<String> problem(Target target, Topology topology, String kind, AbstractFault.Aim aim) {
        if (aim == AbstractFault.Aim.NONE) {
            return Optional.empty();
        }
        boolean nodeOnly = aim == AbstractFault.Aim.NODE;
        if (target instanceof Target.Etcd e) {
            if (nodeOnly) {
                return Optional.of(kind + " needs a PostgreSQL node as target, not an etcd member (" + e.spec() + ")");
            }
            int members = topology.dcs().members();
            return e.index().isPresent() && e.index().getAsInt() > members
                    ? Optional.of("target " + e.spec() + ": the DCS of topology " + topology.name() + " has " + members + " member(s)")
                    : Optional.empty();
        }
        if (target instanceof Target.Standby s) {
            Optional<StandbyCluster> standby = topology.standbyCluster();
            if (standby.isEmpty()) {
                return Optional.of("target " + s.spec() + ": topology " + topology.name() + " has no standby cluster");
            }
            List<String> members = standby.get().nodes().stream().map(Topology.Node::name).toList();
            boolean role = s.member().equals(Target.Standby.LEADER) || s.member().equals(Target.Standby.REPLICA);
            return role || members.contains(s.member()) ? Optional.empty()
                    : Optional.of("target " + s.spec() + ": no standby cluster member named '" + s.member() + "'"
                            + Suggestions.closest(s.member(), members).map(m -> "; did you mean 'standby:" + m + "'?")
                                    .orElse("; the members are " + String.join(", ", members)));
        }
        if (!(target instanceof Target.Named named)) {
            return Optional.empty(); // a role: who holds it is known only when the fault starts
        }
        List<String> nodes = new ArrayList<>(topology.nodes().stream().map(Topology.Node::name).toList());
        topology.standbyCluster().ifPresent(sc -> sc.nodes().forEach(n -> nodes.add(n.name())));
        if (nodes.contains(named.name())) {
            return Optional.empty();
        }
        List<String> others = new ArrayList<>(topology.dcs().memberNames());
        if (topology.connect().router()) {
            others.add("router");
        }
        if (topology.connect().pooler() && topology.pgbouncer().isPresent()) {
            others.add("pgbouncer");
        }
        if (others.contains(named.name())) {
            return nodeOnly ? Optional.of(kind + " needs a PostgreSQL node as target, not " + named.name()
                    + " (the nodes are " + String.join(", ", nodes) + ")") : Optional.empty();
        }
        List<String> all = new ArrayList<>(nodes);
        if (!nodeOnly) {
            all.addAll(others);
        }
        return Optional.of("target: unknown " + (nodeOnly ? "node" : "member") + " '" + named.name() + "' in topology "
                + topology.name() + Suggestions.closest(named.name(), all).map(m -> "; did you mean '" + m + "'?")
                        .orElse("; " + (nodeOnly ? "the nodes are " : "the targets are ") + String.join(", ", all)
                                + (nodeOnly ? "" : ", or a role (primary, replica, sync-standby, cascading-replica)")));
    }
}
