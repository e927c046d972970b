package dev.pgcert.cluster;

import dev.pgcert.history.Event;
import dev.pgcert.topology.Connect;
import dev.pgcert.topology.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The observers behind the failover stages, each on its own thread and clock-stamped on the
 * history: Patroni's leader key in etcd ({@link LeaderKeyObserver}, every 50 ms), each node's
 * recovery state and timeline ({@link NodeRoleObserver}, every 100 ms), HAProxy's server status
 * ({@link RouterStatusObserver}, every 100 ms) and PgBouncer's server connections
 * ({@link PoolerServersObserver}, every 100 ms).
 */
public final class FailoverObservers implements AutoCloseable {
    public static final Duration DCS_PERIOD = Duration.ofMillis(50);
    public static final Duration PERIOD = Duration.ofMillis(100);
    /** The standby cluster's lag and role: two queries and a REST call each time. */
    public static final Duration STANDBY_PERIOD = Duration.ofMillis(200);
    /** pg_stat_archiver: the lag moves in seconds (archive_timeout), not in the failover's tenths. */
    public static final Duration ARCHIVE_PERIOD = Duration.ofSeconds(1);

    private final List<Observer> observers = new ArrayList<>();

    private FailoverObservers() {}

    public static FailoverObservers start(PatroniCluster cluster, Consumer<Event> sink) {
        FailoverObservers o = new FailoverObservers();
        List<Map.Entry<String, Integer>> members = new ArrayList<>();
        cluster.etcdMembers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> members.add(Map.entry(e.getKey(), e.getValue().getMappedPort(EtcdContainer.CLIENT_PORT))));
        o.observers.add(new LeaderKeyObserver(cluster.topology().name(), members, sink, DCS_PERIOD).start());
        for (String node : cluster.nodes().keySet().stream().sorted().toList()) {
            o.observers.add(new NodeRoleObserver(node, cluster.nodeJdbcUrl(node), cluster.credentials(), sink, PERIOD).start());
        }
        cluster.containers().router().ifPresent(r -> o.observers.add(new RouterStatusObserver(r.statsPort(), sink, PERIOD).start()));
        cluster.standbyCluster().ifPresent(s -> o.observers.add(new StandbyLagObserver(cluster, s, sink, STANDBY_PERIOD).start()));
        cluster.pooler().ifPresent(p -> o.observers.add(new PoolerServersObserver(p.port(), cluster.credentials(), sink, PERIOD).start()));
        if (cluster.topology().backup().isPresent()) {
            for (String node : cluster.nodes().keySet().stream().sorted().toList()) {
                o.observers.add(new ArchiveObserver(node, cluster.nodeAdminUrl(node), cluster.credentials(), sink, ARCHIVE_PERIOD).start());
            }
        }
        return o;
    }

    /**
     * The cluster's timing settings a failover's stages depend on, in seconds, for the
     * {@code failover-settings} event (the probe's and the pool's are added by the runner).
     */
    public static Map<String, Object> settings(Topology topology) {
        Map<String, Object> v = new LinkedHashMap<>();
        Topology.PatroniSettings p = topology.patroni();
        v.put("ttl", p.ttl());
        v.put("loop_wait", p.loopWait());
        v.put("retry_timeout", p.retryTimeout());
        Topology.Router r = topology.router();
        Connect connect = topology.connect();
        v.put("connect", connect.path().key());
        if (connect.router()) {
            // The read-write port's check: the one a write waits for after a failover.
            v.put("router_inter", r.checkIntervalOf(r.readWrite()).toMillis() / 1000.0);
            v.put("router_fall", r.fallOf(r.readWrite()));
            v.put("router_rise", r.riseOf(r.readWrite()));
            v.put("router_timeout_check", r.timeouts().check().toMillis() / 1000.0);
            v.put("router_pinned", r.readWrite().fixedNode().isPresent());
        } else if (connect.path() == Connect.Path.PGBOUNCER) {
            // PgBouncer's leader follower is the router here: one good /primary answer re-points it.
            v.put("router_inter", connect.leaderCheckInterval().toMillis() / 1000.0);
            v.put("router_fall", 1);
            v.put("router_rise", 1);
            v.put("router_timeout_check", 1.0);
            v.put("router_pinned", false);
        } else {
            // PgJDBC multi-host: no router; a new connection finds the new primary itself, unless it still
            // trusts what it learnt about the hosts (hostRecheckSeconds).
            v.put("router_inter", 0.0);
            v.put("router_fall", 1);
            v.put("router_rise", 1);
            v.put("router_pinned", true);
            v.put("client_host_recheck", (double) Math.max(1, connect.hostRecheck().toSeconds()));
        }
        v.put("pooler", connect.pooler() && topology.pgbouncer().isPresent());
        topology.pgbouncer().filter(b -> connect.pooler()).ifPresent(b -> {
            v.put("server_login_retry", (double) Math.max(1, b.serverLoginRetry().toSeconds()));
            v.put("server_connect_timeout", PoolerConfig.serverConnectTimeout(b).toMillis() / 1000.0);
        });
        v.put("observer_period", PERIOD.toMillis() / 1000.0);
        v.put("dcs_observer_period", DCS_PERIOD.toMillis() / 1000.0);
        return v;
    }

    @Override
    public void close() {
        observers.forEach(Observer::close);
    }
}
