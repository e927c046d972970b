package dev.pgcert.fault;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.PatroniCluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Turns a {@link Target} into a container of the run, asking Patroni who holds which role now. */
public final class TargetResolver {
    private final PatroniCluster cluster;
    private final Random random;

    public TargetResolver(PatroniCluster cluster, Random random) {
        this.cluster = cluster;
        this.random = random;
    }

    public Component resolve(Target target) {
        // Java 17: no pattern matching for switch yet.
        if (target instanceof Target.Primary) {
            return node(leader().name());
        }
        if (target instanceof Target.SyncStandby) {
            return node(pick(target, view().members().stream()
                    .filter(m -> m.role().equals("sync_standby")).map(ClusterView.Member::name).toList()));
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
        return cluster.clusterView();
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

    private Component etcd(Target.Etcd target) {
        List<String> names = cluster.etcdMembers().keySet().stream().sorted().toList();
        if (target.index().isPresent()) {
            int i = target.index().getAsInt();
            if (i > names.size()) {
                throw new FaultException("target '" + target.spec() + "': the DCS has " + names.size() + " member(s)");
            }
            return named(names.get(i - 1));
        }
        List<String> running = names.stream().filter(n -> cluster.etcdMembers().get(n).isRunning()).toList();
        return named(pick(target, running));
    }

    Component node(String name) {
        return new Component(name, Component.Type.NODE, cluster.node(name));
    }

    public Component named(String name) {
        if (cluster.nodes().containsKey(name)) {
            return node(name);
        }
        if (cluster.etcdMembers().containsKey(name)) {
            return new Component(name, Component.Type.ETCD, cluster.etcdMembers().get(name));
        }
        if (name.equals("router") && cluster.router() != null) {
            return new Component(name, Component.Type.ROUTER, cluster.router());
        }
        if (name.equals("pgbouncer") && cluster.pooler().isPresent()) {
            return new Component(name, Component.Type.POOLER, cluster.pooler().get());
        }
        throw new FaultException("no component named '" + name + "'; nodes " + cluster.nodes().keySet().stream().sorted().toList()
                + ", etcd " + cluster.etcdMembers().keySet().stream().sorted().toList()
                + (cluster.router() != null ? ", router" : "") + (cluster.pooler().isPresent() ? ", pgbouncer" : ""));
    }

    /** Every container of the run, nodes first. */
    public List<Component> all() {
        List<Component> all = new ArrayList<>();
        cluster.nodes().keySet().stream().sorted().forEach(n -> all.add(node(n)));
        cluster.etcdMembers().keySet().stream().sorted().forEach(n -> all.add(named(n)));
        if (cluster.router() != null) all.add(named("router"));
        if (cluster.pooler().isPresent()) all.add(named("pgbouncer"));
        return all;
    }
}
