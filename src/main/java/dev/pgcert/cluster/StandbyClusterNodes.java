package dev.pgcert.cluster;

import dev.pgcert.topology.StandbyCluster;
import dev.pgcert.topology.Topology;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The standby cluster of a run ({@link StandbyCluster}): its own Patroni scope on the run's etcd. Its
 * standby leader is cloned from, and streams from, the primary cluster through HAProxy's read-write
 * port (so it follows a failover of the primary cluster), or through a Toxiproxy link in front of that
 * port when the topology gives the link a latency. Its other members stream from the standby leader.
 *
 * <p>The same etcd as the primary cluster, not one of its own: on one machine a second DCS adds a
 * container and nothing a drill measures (the drill loses the primary cluster's nodes, not the DCS);
 * the scopes keep the two clusters' keys apart ({@code /service/<scope>/}).
 */
public final class StandbyClusterNodes {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyClusterNodes.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final AtomicLong ROW_IDS = new AtomicLong(System.currentTimeMillis() * 1000);

    private final PatroniCluster primary;
    private final StandbyCluster spec;
    private final RunContainers containers;
    private final Duration restTimeout;
    private final Duration budget;

    StandbyClusterNodes(PatroniCluster primary, StandbyCluster spec) {
        this.primary = primary;
        this.spec = spec;
        this.containers = primary.containers();
        this.restTimeout = Duration.ofSeconds(Math.max(1, primary.topology().patroni().loopWait()));
        this.budget = primary.topology().startupTimeout();
    }

    /** Starts the members, standby leader first; returns once each streams and a row written on the primary reached the standby leader. */
    void start(String image, RunVolumes volumes, ProxyRouting routing) {
        Topology topology = primary.topology();
        Topology.Node leader = spec.standbyLeader().orElseThrow(() -> new IllegalStateException("standby cluster "
                + spec.name() + " has no member that may lead"));
        String host = "router";
        int port = RouterConfig.RW_PORT;
        if (spec.link().isPresent()) {
            LinkProxies links = containers.links().orElseThrow(() -> new IllegalStateException("the run has no Toxiproxy"));
            LinkProxies.Route route = links.create(ProxiedLink.replication(leader.name(), "router", "router:" + RouterConfig.RW_PORT));
            addDistance(links, route, spec.link().get());
            host = "toxiproxy";
            port = route.listenPort();
        }
        for (Topology.Node node : spec.nodes()) {
            String dataVolume = volumes.create(node.name() + "-data", node.dataVolumeSize());
            String walVolume = node.walVolumeSize().isPresent() ? volumes.create(node.name() + "-wal", node.walVolumeSize()) : null;
            String yaml = StandbyClusterConfig.render(topology, spec, node, routing.etcdHosts(node.name()),
                    primary.credentials(), host, port);
            containers.addStandbyNode(node.name(), new PatroniNodeContainer(image, node.name(), yaml, dataVolume, walVolume,
                    primary.runId(), primary.network()));
        }
        containers.standbyNodes().get(leader.name()).start();
        Waits.until(leader.name() + " to clone the primary cluster and lead standby cluster " + spec.name(), budget, POLL, () -> {
            ClusterView view = rest(leader.name()).cluster();
            boolean done = view.leader().filter(l -> l.name().equals(leader.name()) && l.isRunning()
                    && l.role().equals("standby_leader")).isPresent();
            return new Waits.Probe(done, view.summary());
        });
        List<Startable> rest = new ArrayList<>();
        containers.standbyNodes().values().stream().filter(n -> !n.isCreated()).forEach(rest::add);
        Startables.deepStart(rest).join();
        awaitStreaming();
        awaitRowArrives();
        LOG.info("standby cluster {} follows {} through {}:{}", spec.name(), topology.name(), host, port);
    }

    /** The distance between the two sites: a latency toxic each way on the standby leader's link. */
    private static void addDistance(LinkProxies links, LinkProxies.Route route, StandbyCluster.Link link) {
        if (link.latency().isZero() && link.jitter().isZero()) {
            return;
        }
        try {
            for (ToxicDirection direction : ToxicDirection.values()) {
                links.proxy(route.name()).toxics()
                        .latency("site-distance-" + direction.name().toLowerCase(), direction, link.latency().toMillis())
                        .setJitter(link.jitter().toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the standby link's latency", e);
        }
    }

    /** Every member but the standby leader shows as streaming in its upstream's pg_stat_replication; the standby leader in the primary's. */
    void awaitStreaming() {
        String leader = leaderName();
        String primaryLeader = primary.clusterView().leader().orElseThrow().name();
        Waits.until(leader + " to stream from the primary cluster (" + primaryLeader + "'s pg_stat_replication)", budget, POLL,
                () -> streaming(primary.nodeJdbcUrl(primaryLeader), leader));
        for (Topology.Node node : spec.nodes()) {
            if (node.name().equals(leader)) {
                continue;
            }
            String upstream = node.replicateFrom().orElse(leader);
            Waits.until(node.name() + " to stream from " + upstream, budget, POLL, () -> streaming(nodeJdbcUrl(upstream), node.name()));
        }
    }

    private Waits.Probe streaming(String upstreamUrl, String replica) {
        Credentials c = primary.credentials();
        try (Connection conn = Endpoints.connect(upstreamUrl, c.superuser(), c.superuserPassword());
             Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name, state FROM pg_stat_replication")) {
            Map<String, String> states = new LinkedHashMap<>();
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
            return new Waits.Probe("streaming".equals(states.get(replica)), "pg_stat_replication: " + states);
        } catch (SQLException e) {
            return Waits.Probe.notYet(e.getMessage());
        }
    }

    /** A row written on the primary cluster's leader, read back on the standby leader. */
    void awaitRowArrives() {
        long id = ROW_IDS.incrementAndGet();
        Credentials c = primary.credentials();
        String primaryLeader = primary.clusterView().leader().orElseThrow().name();
        try (Connection conn = Endpoints.connect(primary.nodeJdbcUrl(primaryLeader), c.superuser(), c.superuserPassword());
             Statement s = conn.createStatement()) {
            s.executeUpdate("INSERT INTO pgcert_probe VALUES (" + id + ", current_setting('pgcert.node'))");
        } catch (SQLException e) {
            throw new IllegalStateException("writing a row on " + primaryLeader + " failed: " + e.getMessage(), e);
        }
        String leader = leaderName();
        Waits.until("the row written on " + primaryLeader + " to reach standby leader " + leader, budget, POLL, () -> {
            try (Connection conn = Endpoints.connect(nodeJdbcUrl(leader), c.superuser(), c.superuserPassword());
                 Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pgcert_probe WHERE id = " + id)) {
                rs.next();
                return new Waits.Probe(rs.getLong(1) == 1, "row not replayed yet");
            } catch (SQLException e) {
                return Waits.Probe.notYet(e.getMessage());
            }
        });
    }

    /**
     * Promotes the standby cluster: removes {@code standby_cluster} from its dynamic configuration
     * ({@code PATCH /config}), as an operator does in a disaster. Patroni then promotes the standby leader
     * on its next loop. Returns Patroni's HTTP status.
     */
    public int promote() {
        String leader = leaderName();
        int status = rest(leader).patchConfig("{\"standby_cluster\": null}");
        if (status != 200) {
            throw new IllegalStateException("PATCH /config on " + leader + " answered " + status);
        }
        return status;
    }

    /** Whether it has been promoted: its leader is a primary ({@code leader}), no longer a {@code standby_leader}. */
    public boolean isPromoted() {
        try {
            return clusterView().leader().filter(l -> l.role().equals("leader")).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Waits until the promoted standby cluster's leader is out of recovery (Patroni reports the role
     * {@code leader} as soon as it asks for the promotion, before PostgreSQL has ended recovery) and every
     * member is running again.
     */
    public Duration awaitWritable(Duration within) {
        long begin = System.nanoTime();
        Waits.until("promoted standby cluster " + spec.name() + " to have a writable primary and every member running", within, POLL, () -> {
            ClusterView view = clusterView();
            Optional<ClusterView.Member> leader = view.leader().filter(l -> l.role().equals("leader") && l.isRunning());
            boolean all = spec.nodes().stream().allMatch(n -> view.member(n.name()).filter(ClusterView.Member::isRunning).isPresent());
            if (leader.isEmpty() || !all) {
                return Waits.Probe.notYet(view.summary());
            }
            Credentials c = primary.credentials();
            try (Connection conn = Endpoints.connect(nodeJdbcUrl(leader.get().name()), c.superuser(), c.superuserPassword());
                 Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                return new Waits.Probe(!rs.getBoolean(1), leader.get().name() + (rs.getBoolean(1) ? " still in recovery" : " writable")
                        + "; " + view.summary());
            } catch (SQLException e) {
                return Waits.Probe.notYet(leader.get().name() + ": " + e.getMessage());
            }
        });
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    public StandbyCluster spec() { return spec; }

    public PatroniRest rest(String node) {
        PatroniNodeContainer c = containers.standbyNodes().get(node);
        if (c == null) {
            throw new IllegalArgumentException("no standby cluster member named " + node + " (members: "
                    + containers.standbyNodes().keySet() + ")");
        }
        return new PatroniRest(node, "127.0.0.1", c.restPort(), restTimeout);
    }

    /** The standby cluster's view of itself, asked of the first member whose REST API answers. */
    public ClusterView clusterView() {
        RuntimeException last = null;
        for (Map.Entry<String, PatroniNodeContainer> e : containers.standbyNodes().entrySet()) {
            try {
                if (e.getValue().isRunning()) {
                    return rest(e.getKey()).cluster();
                }
            } catch (RuntimeException ex) {
                last = ex;
            }
        }
        throw new IllegalStateException("no Patroni REST API of standby cluster " + spec.name() + " answers", last);
    }

    /** Its leader now (the standby leader; after promotion, its primary). */
    public String leaderName() {
        ClusterView view = clusterView();
        return view.leader().map(ClusterView.Member::name).orElseThrow(() -> new IllegalStateException(
                "standby cluster " + spec.name() + " has no leader: " + view.summary()));
    }

    public Optional<String> leaderIfAny() {
        try {
            return clusterView().leader().map(ClusterView.Member::name);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** JDBC URL of a member's PostgreSQL in the application database. */
    public String nodeJdbcUrl(String node) {
        PatroniNodeContainer c = containers.standbyNodes().get(node);
        if (c == null) {
            throw new IllegalArgumentException("no standby cluster member named " + node);
        }
        return Endpoints.jdbcUrl(c.postgresPort(), Credentials.DATABASE, false);
    }
}
