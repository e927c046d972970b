package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.PatroniApi;
import dev.pgcert.cluster.PatroniNodeContainer;
import dev.pgcert.cluster.PatroniRest;
import dev.pgcert.cluster.RunContainers;

import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Turns a {@link Target} into a container of the run, asking Patroni who holds which role now. */
public final class TargetResolver {
    private final RunContainers containers;
    private final PatroniApi patroni;
    private final Random random;

    public TargetResolver(RunContainers containers, PatroniApi patroni, Random random) {
        this.containers = containers;
        this.patroni = patroni;
        this.random = random;
    }

    /** The same resolver drawing its random choices from {@code other} (a fault's own seed). */
    public TargetResolver withRandom(Random other) {
        return new TargetResolver(containers, patroni, other);
    }

    public Component resolve(Target target) {
        // Java 17: no pattern matching for switch yet.
        if (target instanceof Target.Primary) {
            return node(leader().name());
        }
        if (target instanceof Target.SyncStandby) {
            return node(pick(target, view().members().stream()
                    .filter(ClusterView.Member::isSynchronousStandby)
                    .map(ClusterView.Member::name).toList()));
        }
        if (target instanceof Target.AnyReplica) {
            return node(pick(target, replicas().stream().map(ClusterView.Member::name).toList()));
        }
        if (target instanceof Target.CascadingReplica) {
            return node(pick(target, cascadingReplicas()));
        }
        if (target instanceof Target.Etcd e) {
            return etcd(e);
        }
        if (target instanceof Target.Standby s) {
            return standby(s);
        }
        return named(((Target.Named) target).name());
    }

    /** Like {@link #resolve} but the target must be a PostgreSQL + Patroni node. */
    public Component resolveNode(Target target, String faultKind) {
        Component c = resolve(target);
        if (!c.isNode()) {
            throw new FaultException(faultKind + " needs a PostgreSQL node as target, not " + c.name());
        }
        return c;
    }

    public ClusterView view() {
        return patroni.clusterView();
    }

    public ClusterView.Member leader() {
        ClusterView view = view();
        return view.leader().orElseThrow(() -> new FaultException("no leader to aim at; cluster: " + view.summary()));
    }

    private List<ClusterView.Member> replicas() {
        return view().members().stream().filter(m -> !m.isLeader()).toList();
    }

    /** Replicas that stream from another replica: Patroni's replicatefrom tag names a non-leader. */
    private List<String> cascadingReplicas() {
        ClusterView view = view();
        String leader = view.leader().map(ClusterView.Member::name).orElse("");
        return view.members().stream()
                .filter(m -> !m.isLeader())
                .filter(m -> m.replicateFrom().filter(up -> !up.equals(leader)).isPresent())
                .map(ClusterView.Member::name).toList();
    }

    private String pick(Target target, List<String> candidates) {
        if (candidates.isEmpty()) {
            throw new FaultException("no member matches target '" + target.spec() + "'; cluster: " + view().summary());
        }
        List<String> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(random.nextInt(sorted.size()));
    }

    /** A member of the standby cluster, its leader asked of the standby cluster's own Patroni. */
    private Component standby(Target.Standby target) {
        Map<String, PatroniNodeContainer> members = containers.standbyNodes();
        if (members.isEmpty()) {
            throw new FaultException("target '" + target.spec() + "': the topology has no standby cluster");
        }
        if (!target.member().equals(Target.Standby.LEADER) && !target.member().equals(Target.Standby.REPLICA)) {
            if (!members.containsKey(target.member())) {
                throw new FaultException("target '" + target.spec() + "': no standby cluster member named '"
                        + target.member() + "' (members: " + members.keySet() + ")");
            }
            return named(target.member());
        }
        ClusterView view = standbyView(members);
        String leader = view.leader().map(ClusterView.Member::name).orElseThrow(() ->
                new FaultException("target '" + target.spec() + "': the standby cluster has no leader; " + view.summary()));
        if (target.member().equals(Target.Standby.LEADER)) {
            return named(leader);
        }
        return named(pick(target, members.keySet().stream().filter(n -> !n.equals(leader)).toList()));
    }

    private static ClusterView standbyView(Map<String, PatroniNodeContainer> members) {
        RuntimeException last = null;
        for (Map.Entry<String, PatroniNodeContainer> e : members.entrySet()) {
            if (!e.getValue().isRunning()) {
                continue;
            }
            try {
                return new PatroniRest(e.getKey(), "127.0.0.1", e.getValue().restPort(), Duration.ofSeconds(2)).cluster();
            } catch (RuntimeException ex) {
                last = ex;
            }
        }
        throw new FaultException("no Patroni REST API of the standby cluster answers"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private Component etcd(Target.Etcd target) {
        List<String> names = containers.etcdMembers().keySet().stream().sorted().toList();
        if (target.index().isPresent()) {
            int i = target.index().getAsInt();
            if (i > names.size()) {
                throw new FaultException("target '" + target.spec() + "': the DCS has " + names.size() + " member(s)");
            }
            return named(names.get(i - 1));
        }
        List<String> running = names.stream().filter(n -> containers.etcdMembers().get(n).isRunning()).toList();
        return named(pick(target, running));
    }

    Component node(String name) {
        return new Component(name, Component.Type.NODE, containers.node(name));
    }

    public Component named(String name) {
        return containers.member(name).filter(m -> m.role() != RunContainers.Role.TOXIPROXY).map(TargetResolver::component)
                .orElseThrow(() -> new FaultException("no component named '" + name + "'; "
                        + all().stream().map(Component::name).toList()));
    }

    /**
     * Every container a fault may aim at, from the run's one list ({@link RunContainers}): nodes first, then
     * etcd, the router and PgBouncer, by name within each (a seeded choice among them is then reproducible).
     * Toxiproxy is the harness's instrument, not a target.
     */
    public List<Component> all() {
        return containers.all().stream().filter(m -> m.role() != RunContainers.Role.TOXIPROXY)
                .map(TargetResolver::component)
                .sorted(Comparator.comparing((Component c) -> c.type().ordinal()).thenComparing(Component::name))
                .toList();
    }

    private static Component component(RunContainers.Member m) {
        Component.Type type = switch (m.role()) {
            case NODE, STANDBY_NODE -> Component.Type.NODE;
            case ETCD -> Component.Type.ETCD;
            case ROUTER -> Component.Type.ROUTER;
            case POOLER -> Component.Type.POOLER;
            case TOXIPROXY -> throw new IllegalArgumentException("Toxiproxy is not a fault target");
        };
        return new Component(m.name(), type, m.container());
    }
}
