package dev.pgcert.cluster;

import com.github.dockerjava.api.DockerClient;
import dev.pgcert.topology.Topology;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * A Patroni cluster as a topology describes it, in containers on a private network: etcd, the
 * PostgreSQL + Patroni nodes, HAProxy and (optionally) PgBouncer. {@link #start()} returns once the
 * cluster is really ready (see {@link ClusterReadiness}); {@link #stop()} removes every container,
 * network and volume of the run.
 */
public final class PatroniCluster implements Startable {
    private static final Logger LOG = Logger.getLogger(PatroniCluster.class.getName());

    private final Topology topology;
    private final String runId = HarnessLabels.newRunId();
    private final Credentials credentials = Credentials.generate();
    private final Map<String, EtcdContainer> etcd = new LinkedHashMap<>();
    private final Map<String, PatroniNodeContainer> nodes = new LinkedHashMap<>();
    private Path runDirectory;
    private Network network;
    private RouterContainer router;
    private PoolerContainer pooler;
    private LinkProxies links;
    private Thread shutdownHook;
    private Duration timeToReady;

    public PatroniCluster(Topology topology) {
        this.topology = topology;
        this.runDirectory = Path.of("target", "pgcert-runs", runId);
    }

    public PatroniCluster withRunDirectory(Path directory) {
        this.runDirectory = directory;
        return this;
    }

    @Override
    public void start() {
        long begin = System.nanoTime();
        DockerClient docker = DockerClientFactory.instance().client();
        new LeftoverSweeper(docker).sweepDeadRuns();
        // Every image before any container: a missing image fails here with nothing to clean up.
        HarnessImages imageSource = new HarnessImages(topology.images());
        Map<HarnessImages.Component, String> images = imageSource.resolveAll();
        DockerImageName toxiproxyImage = topology.toxiproxyLinks().isEmpty() ? null : imageSource.toxiproxy();
        shutdownHook = new Thread(this::removeEverything, "pgcert-teardown-" + runId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            network = Network.builder()
                    .createNetworkCmdModifier(cmd -> cmd.withName("pgcert-" + runId).withLabels(HarnessLabels.forRun(runId)))
                    .build();
            network.getId();
            startEtcd(images.get(HarnessImages.Component.ETCD));
            if (!topology.toxiproxyLinks().isEmpty()) {
                links = new LinkProxies(toxiproxyImage, runId, network);
                links.start();
            }
            createNodes(docker, images.get(HarnessImages.Component.PATRONI));
            ClusterReadiness readiness = new ClusterReadiness(this);
            Topology.Node first = bootstrapNode();
            nodes.get(first.name()).start();
            readiness.awaitLeader(first.name());
            List<Startable> rest = new ArrayList<>();
            nodes.values().stream().filter(n -> !n.isCreated()).forEach(rest::add);
            router = new RouterContainer(images.get(HarnessImages.Component.HAPROXY), RouterConfig.render(topology),
                    runId, network, topology.startupTimeout());
            rest.add(router);
            Startables.deepStart(rest).join();
            topology.pgbouncer().ifPresent(b -> {
                pooler = new PoolerContainer(images.get(HarnessImages.Component.PGBOUNCER),
                        PoolerConfig.ini(b, "router"), PoolerConfig.userlist(credentials), runId, network,
                        topology.startupTimeout());
                pooler.start();
            });
            readiness.awaitReplicasStreaming();
            // After the replicas: with synchronous_mode_strict the primary blocks every write until a
            // synchronous standby streams.
            readiness.createApplicationDatabase();
            if (routeReplicationThroughProxies()) {
                readiness.awaitReplicasStreaming();
            }
            routeClientsThroughProxy();
            readiness.awaitRouting();
            timeToReady = Duration.ofNanos(System.nanoTime() - begin);
            LOG.info("cluster " + topology.name() + " (run " + runId + ") ready in " + timeToReady.toMillis() + " ms");
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void startEtcd(String image) {
        List<String> names = IntStream.rangeClosed(1, topology.dcs().members()).mapToObj(i -> "etcd" + i).toList();
        for (String name : names) {
            etcd.put(name, new EtcdContainer(image, name, names, topology.name() + "-" + runId, runId, network,
                    topology.startupTimeout()));
        }
        // All members at once: with three, none is healthy until a quorum runs.
        Startables.deepStart(etcd.values()).join();
    }

    private void createNodes(DockerClient docker, String image) {
        for (Topology.Node node : topology.nodes()) {
            List<String> etcdHosts = etcd.values().stream()
                    .map(member -> hasLink(Topology.ToxiproxyLink.LinkKind.DCS, node.name())
                            ? links.create("dcs-" + node.name() + "-" + member.alias(), node.name(), member.alias(),
                                    member.clientUrl())
                            : member.clientUrl())
                    .toList();
            String dataVolume = createVolume(docker, node.name() + "-data", node.dataVolumeSize());
            String walVolume = node.walVolumeSize().isPresent()
                    ? createVolume(docker, node.name() + "-wal", node.walVolumeSize()) : null;
            String yaml = PatroniConfig.render(topology, node, etcdHosts, credentials);
            nodes.put(node.name(), new PatroniNodeContainer(image, node.name(), yaml, dataVolume, walVolume, runId, network));
        }
    }

    /** A named volume of the run; a size limit makes it a tmpfs of that size (so disk-pressure faults can fill it). */
    private String createVolume(DockerClient docker, String suffix, Optional<Long> sizeBytes) {
        String name = "pgcert-" + runId + "-" + suffix;
        var cmd = docker.createVolumeCmd().withName(name).withLabels(HarnessLabels.forRun(runId)).withDriver("local");
        sizeBytes.ifPresent(size -> cmd.withDriverOpts(Map.of(
                "type", "tmpfs", "device", "tmpfs", "o", "size=" + size + ",mode=1777")));
        cmd.exec();
        return name;
    }

    private boolean hasLink(Topology.ToxiproxyLink.LinkKind kind, String node) {
        return topology.toxiproxyLinks().stream()
                .anyMatch(l -> l.kind() == kind && (node == null || node.equals(l.node())));
    }

    /**
     * Sends each chosen replica's replication connections through Toxiproxy: a DNAT rule in the
     * replica redirects its connections to every possible upstream (Patroni picks the upstream, and
     * it changes on failover) to that upstream's proxy; then its walreceiver is restarted so the
     * stream reconnects through the proxy. Returns whether any link was set up.
     */
    private boolean routeReplicationThroughProxies() {
        boolean any = false;
        for (Topology.Node replica : topology.nodes()) {
            if (!hasLink(Topology.ToxiproxyLink.LinkKind.REPLICATION, replica.name())) {
                continue;
            }
            for (Topology.Node upstream : topology.nodes()) {
                if (upstream.equals(replica)) {
                    continue;
                }
                String proxied = links.create("replication-" + replica.name() + "-from-" + upstream.name(),
                        replica.name(), upstream.name(), upstream.name() + ":" + PatroniConfig.PG_PORT);
                String port = proxied.substring(proxied.indexOf(':') + 1);
                execAsRoot(node(replica.name()), "iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp",
                        "-d", networkAddress(node(upstream.name())), "--dport", Integer.toString(PatroniConfig.PG_PORT),
                        "-j", "DNAT", "--to-destination", links.networkAddress() + ":" + port);
            }
            execAsRoot(node(replica.name()), "pkill", "-f", "walreceiver");
            any = true;
        }
        return any;
    }

    private void routeClientsThroughProxy() {
        if (!hasLink(Topology.ToxiproxyLink.LinkKind.CLIENT, null)) {
            return;
        }
        if (pooler != null) {
            links.create("client-rw", LinkProxies.CLIENTS, "pgbouncer", "pgbouncer:" + PoolerConfig.PORT);
            links.create("client-ro", LinkProxies.CLIENTS, "pgbouncer", "pgbouncer:" + PoolerConfig.PORT);
        } else {
            links.create("client-rw", LinkProxies.CLIENTS, "router", "router:" + RouterConfig.RW_PORT);
            links.create("client-ro", LinkProxies.CLIENTS, "router", "router:" + RouterConfig.RO_PORT);
        }
    }

    /** The container's address on the run's network. */
    public String networkAddress(org.testcontainers.containers.ContainerState container) {
        return container.getCurrentContainerInfo().getNetworkSettings().getNetworks().get("pgcert-" + runId).getIpAddress();
    }

    private static void execAsRoot(org.testcontainers.containers.ContainerState container, String... command) {
        try {
            var result = container.execInContainerWithUser("root", command);
            if (result.getExitCode() != 0 && !command[0].equals("pkill")) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + container.getContainerId()
                        + ": " + result.getStderr().trim());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Topology.Node bootstrapNode() {
        return topology.nodes().stream()
                .filter(n -> n.replicateFrom().isEmpty() && !n.noFailover())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("topology " + topology.source()
                        + " has no node that may bootstrap (one without replicatefrom and nofailover)"));
    }

    /**
     * Every container's log as Docker has it now, one file per container. Read from Docker rather than
     * followed live: a container a fault killed and restarted keeps one log, but a live follower stops.
     */
    public void writeLogs(Path directory) throws java.io.IOException {
        java.nio.file.Files.createDirectories(directory);
        Map<String, org.testcontainers.containers.GenericContainer<?>> all = new LinkedHashMap<>();
        etcd.forEach(all::put);
        nodes.forEach(all::put);
        if (router != null) all.put("router", router);
        if (pooler != null) all.put("pgbouncer", pooler);
        if (links != null) all.put("toxiproxy", links.container());
        for (var entry : all.entrySet()) {
            String log;
            try {
                log = entry.getValue().getContainerId() == null ? "(never started)" : entry.getValue().getLogs();
            } catch (RuntimeException e) {
                log = "(log unavailable: " + e.getMessage() + ")";
            }
            java.nio.file.Files.writeString(directory.resolve(entry.getKey() + ".log"), log);
        }
    }

    @Override
    public void stop() {
        removeEverything();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run: nothing left to do
            }
            shutdownHook = null;
        }
    }

    private synchronized void removeEverything() {
        List<org.testcontainers.containers.GenericContainer<?>> all = new ArrayList<>();
        if (pooler != null) all.add(pooler);
        if (router != null) all.add(router);
        if (links != null) all.add(links.container());
        all.addAll(nodes.values());
        all.addAll(etcd.values());
        all.forEach(c -> {
            try {
                c.stop();
            } catch (RuntimeException e) {
                LOG.warning("stopping " + c.getContainerName() + " failed: " + e.getMessage());
            }
        });
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                LOG.warning("removing network failed: " + e.getMessage());
            }
        }
        // Whatever the steps above missed (volumes, a container created but never tracked) goes by label.
        new LeftoverSweeper(DockerClientFactory.instance().client()).removeRun(runId);
    }

    // --- what faults, load and checks need -------------------------------------------------

    public Topology topology() { return topology; }
    public String runId() { return runId; }
    public Credentials credentials() { return credentials; }
    public Path runDirectory() { return runDirectory; }
    public Network network() { return network; }
    public Optional<Duration> timeToReady() { return Optional.ofNullable(timeToReady); }
    public Map<String, PatroniNodeContainer> nodes() { return Map.copyOf(nodes); }
    public PatroniNodeContainer node(String name) {
        PatroniNodeContainer c = nodes.get(name);
        if (c == null) throw new IllegalArgumentException("no node named " + name + " (nodes: " + nodes.keySet() + ")");
        return c;
    }
    public Map<String, EtcdContainer> etcdMembers() { return Map.copyOf(etcd); }
    public RouterContainer router() { return router; }
    public Optional<PoolerContainer> pooler() { return Optional.ofNullable(pooler); }
    /** The Toxiproxy the topology's links pass through, if it routes any. */
    public Optional<LinkProxies> linkProxies() { return Optional.ofNullable(links); }

    public PatroniRest rest(String node) {
        return new PatroniRest(node, "127.0.0.1", node(node).restPort(), restTimeout());
    }

    /** Patroni's view of the cluster, asked of the first node whose REST API answers. */
    public ClusterView clusterView() {
        RuntimeException last = null;
        for (String name : nodes.keySet()) {
            try {
                if (node(name).isRunning()) {
                    return rest(name).cluster();
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no Patroni REST API answers", last);
    }

    /** A REST call should answer well within one Patroni loop; a slower answer is as good as none. */
    Duration restTimeout() {
        return Duration.ofSeconds(Math.max(1, topology.patroni().loopWait()));
    }

    /**
     * Waits until the cluster is whole again after faults (see {@link ClusterHealth}), within the
     * topology's startup budget: a node that lost its data directory re-clones, which takes as long as a start.
     */
    public void awaitHealthy() {
        awaitHealthy(topology.startupTimeout());
    }

    /** As {@link #awaitHealthy()} within {@code budget}; returns how long it took. */
    public Duration awaitHealthy(Duration budget) {
        long begin = System.nanoTime();
        // A few looks per Patroni loop, at most every half second.
        Duration poll = Duration.ofMillis(Math.max(100, Math.min(500, topology.patroni().loopWait() * 1000L / 4)));
        Waits.until("cluster " + topology.name() + " to be whole again", budget, poll, new ClusterHealth(this)::probe);
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /**
     * Who replicates from {@code upstream}, by application name (Patroni sets it to the node's name), and in
     * which state (streaming, catchup, ...): the upstream's own pg_stat_replication, since Patroni 3.0's
     * /cluster says "running" for a replica that does not stream.
     */
    public Map<String, String> replicationStates(String upstream) throws java.sql.SQLException {
        Map<String, String> states = new java.util.TreeMap<>();
        try (java.sql.Connection c = Endpoints.connect(nodeAdminUrl(upstream), credentials.superuser(), credentials.superuserPassword());
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT application_name, state FROM pg_stat_replication")) {
            while (rs.next()) states.put(rs.getString(1), rs.getString(2));
        }
        return states;
    }

    /** The nodes streaming from {@code upstream}; none when it cannot be reached. */
    public java.util.Set<String> streamingFrom(String upstream) {
        try {
            return replicationStates(upstream).entrySet().stream().filter(e -> "streaming".equals(e.getValue()))
                    .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        } catch (java.sql.SQLException e) {
            return java.util.Set.of();
        }
    }

    /** JDBC URL of one node's PostgreSQL in the application database, for the superuser. */
    public String nodeJdbcUrl(String name) {
        return Endpoints.jdbcUrl(node(name).postgresPort(), Credentials.DATABASE, false);
    }

    /** JDBC URL of one node's PostgreSQL in the {@code postgres} database, which exists before the application's. */
    public String nodeAdminUrl(String name) {
        return Endpoints.jdbcUrl(node(name).postgresPort(), "postgres", false);
    }

    public Endpoints endpoints() {
        boolean transactionPooling = pooler != null
                && topology.pgbouncer().map(b -> b.poolMode() == Topology.PgBouncer.PoolMode.TRANSACTION).orElse(false);
        String db = Credentials.DATABASE;
        String routerRw = Endpoints.jdbcUrl(router.readWritePort(), db, false);
        String routerRo = Endpoints.jdbcUrl(router.readOnlyPort(), db, false);
        String roDb = pooler != null ? db + PoolerConfig.RO_SUFFIX : db;
        String rw = pooler != null ? Endpoints.jdbcUrl(pooler.port(), db, transactionPooling) : routerRw;
        String ro = pooler != null ? Endpoints.jdbcUrl(pooler.port(), roDb, transactionPooling) : routerRo;
        if (hasLink(Topology.ToxiproxyLink.LinkKind.CLIENT, null)) {
            rw = Endpoints.jdbcUrl(links.hostPort("client-rw"), db, transactionPooling);
            ro = Endpoints.jdbcUrl(links.hostPort("client-ro"), roDb, transactionPooling);
        }
        Map<String, String> nodeUrls = new LinkedHashMap<>();
        Map<String, String> restUrls = new LinkedHashMap<>();
        nodes.forEach((name, c) -> {
            nodeUrls.put(name, Endpoints.jdbcUrl(c.postgresPort(), db, false));
            restUrls.put(name, "http://127.0.0.1:" + c.restPort());
        });
        return new Endpoints(rw, ro, routerRw, routerRo, nodeUrls, restUrls);
    }
}
