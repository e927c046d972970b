package dev.pgcert.cluster;

import com.github.dockerjava.api.DockerClient;
import dev.pgcert.topology.StandbyCluster;
import dev.pgcert.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Patroni cluster as a topology describes it, in containers on a private network: etcd, the
 * PostgreSQL + Patroni nodes, HAProxy and (optionally) PgBouncer and Toxiproxy. {@link #start()} returns
 * once the cluster is really ready (see {@link ClusterReadiness}); {@link #stop()} removes every container,
 * network and volume of the run. The parts: {@link RunContainers} (the run's one list of containers),
 * {@link RunVolumes}, {@link ProxyRouting} (links through Toxiproxy), {@link PatroniApi} (REST),
 * {@link Replication} (pg_stat_replication), {@link Endpoints}, {@link ClusterHealth}, {@link ContainerLogs}.
 */
public final class PatroniCluster implements Startable {
    private static final Logger LOG = LoggerFactory.getLogger(PatroniCluster.class);

    private final Topology topology;
    private final String runId = HarnessLabels.newRunId();
    private final Credentials credentials = Credentials.generate();
    private final RunContainers containers = new RunContainers();
    private final PatroniApi patroni;
    private final Replication replication;
    private final ExtraMembers extraMembers;
    private Path runDirectory;
    private Network network;
    private Thread shutdownHook;
    private Duration timeToReady;
    private StandbyClusterNodes standby;

    public PatroniCluster(Topology topology) {
        this.topology = topology;
        this.runDirectory = Path.of("target", "pgcert-runs", runId);
        // A REST call should answer well within one Patroni loop; a slower answer is as good as none.
        this.patroni = new PatroniApi(containers, Duration.ofSeconds(Math.max(1, topology.patroni().loopWait())));
        this.replication = new Replication(containers, credentials);
        this.extraMembers = new ExtraMembers(topology, containers, credentials, runId);
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
        boolean proxied = !topology.toxiproxyLinks().isEmpty()
                || topology.standbyCluster().flatMap(StandbyCluster::link).isPresent();
        DockerImageName toxiproxyImage = proxied ? imageSource.toxiproxy() : null;
        Topology.Node first = topology.bootstrapNode().orElseThrow(() -> new IllegalStateException("topology "
                + topology.source() + " has no node that may bootstrap (every node has nofailover)"));
        shutdownHook = new Thread(this::removeEverything, "pgcert-teardown-" + runId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            network = Network.builder()
                    .createNetworkCmdModifier(cmd -> cmd.withName("pgcert-" + runId).withLabels(HarnessLabels.forRun(runId)))
                    .build();
            network.getId();
            containers.setNetwork(network);
            startEtcd(images.get(HarnessImages.Component.ETCD));
            if (proxied) {
                LinkProxies links = new LinkProxies(toxiproxyImage, runId, network);
                containers.setLinks(links);
                links.start();
            }
            ProxyRouting routing = new ProxyRouting(topology, containers);
            RunVolumes volumes = new RunVolumes(docker, runId);
            createNodes(volumes, routing, images.get(HarnessImages.Component.PATRONI));
            ClusterReadiness readiness = new ClusterReadiness(this);
            containers.node(first.name()).start();
            readiness.awaitLeader(first.name());
            List<Startable> rest = new ArrayList<>();
            containers.nodes().values().stream().filter(n -> !n.isCreated()).forEach(rest::add);
            if (topology.connect().router()) {
                RouterContainer router = new RouterContainer(images.get(HarnessImages.Component.HAPROXY),
                        RouterConfig.render(topology), runId, network, topology.startupTimeout());
                containers.setRouter(router);
                rest.add(router);
            }
            Startables.deepStart(rest).join();
            if (topology.connect().pooler()) {
                topology.pgbouncer().ifPresent(b -> {
                    PoolerContainer pooler = PoolerContainer.forPath(topology, b, images.get(HarnessImages.Component.PGBOUNCER),
                            credentials, runId, network, first.name());
                    containers.setPooler(pooler);
                    pooler.start();
                });
            }
            readiness.awaitReplicasStreaming();
            // After the replicas: with synchronous_mode_strict the primary blocks every write until a
            // synchronous standby streams.
            readiness.createApplicationDatabase();
            if (routing.routeReplication()) {
                readiness.awaitReplicasStreaming();
            }
            routing.routeClients();
            readiness.awaitRouting();
            if (topology.standbyCluster().isPresent()) {
                standby = new StandbyClusterNodes(this, topology.standbyCluster().get());
                standby.start(images.get(HarnessImages.Component.PATRONI), volumes, routing);
            }
            // The stanza once the primary runs: until then its archive_command fails and PostgreSQL keeps the WAL.
            containers.backup().ifPresent(BackupRepository::createStanza);
            timeToReady = Duration.ofNanos(System.nanoTime() - begin);
            LOG.info("cluster {} (run {}) ready in {} ms", topology.name(), runId, timeToReady.toMillis());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void startEtcd(String image) {
        List<String> names = topology.dcs().memberNames();
        for (String name : names) {
            containers.addEtcd(new EtcdContainer(image, name, names, topology.name() + "-" + runId, runId, network,
                    topology.startupTimeout()));
        }
        // All members at once: with three, none is healthy until a quorum runs.
        Startables.deepStart(containers.etcdMembers().values()).join();
    }

    private void createNodes(RunVolumes volumes, ProxyRouting routing, String image) {
        Optional<BackupRepository> backup = topology.backup().map(b -> new BackupRepository(topology, containers,
                credentials, volumes, (node, method) -> PatroniConfig.render(topology, node,
                        routing.etcdHosts(node.name()), credentials, method)));
        backup.ifPresent(containers::setBackup);
        extraMembers.prepare(image, volumes, routing);
        for (Topology.Node node : topology.nodes()) {
            String dataVolume = volumes.create(node.name() + "-data", node.dataVolumeSize());
            String walVolume = node.walVolumeSize().isPresent()
                    ? volumes.create(node.name() + "-wal", node.walVolumeSize()) : null;
            String yaml = PatroniConfig.render(topology, node, routing.etcdHosts(node.name()), credentials);
            PatroniNodeContainer container = new PatroniNodeContainer(image, node.name(), yaml, dataVolume, walVolume,
                    runId, network);
            backup.ifPresent(b -> container.withBackupRepositories(b.volumes(), b.config()));
            containers.addNode(node.name(), container);
        }
    }

    /** Every container's log as Docker has it now, one file per container (see {@link ContainerLogs}). */
    public void writeLogs(Path directory) throws IOException {
        ContainerLogs.write(containers, directory);
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
        containers.stopAll();
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                LOG.warn("removing network failed: {}", e.getMessage());
            }
        }
        // Whatever the steps above missed (volumes, a container created but never tracked) goes by label.
        new LeftoverSweeper(DockerClientFactory.instance().client()).removeRun(runId);
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

    // --- the parts, for faults, load and checks ------------------------------------------------

    public Topology topology() { return topology; }
    public String runId() { return runId; }
    public Credentials credentials() { return credentials; }
    public Path runDirectory() { return runDirectory; }
    public Network network() { return network; }
    public Optional<Duration> timeToReady() { return Optional.ofNullable(timeToReady); }
    /** The run's one list of containers. */
    public RunContainers containers() { return containers; }
    /** The nodes' Patroni REST APIs. */
    public PatroniApi patroni() { return patroni; }
    /** The one reader of pg_stat_replication. */
    public Replication replication() { return replication; }
    /** Members started during the run that the topology does not list (the add-member fault). */
    public ExtraMembers extraMembers() { return extraMembers; }

    public Map<String, PatroniNodeContainer> nodes() { return Map.copyOf(containers.nodes()); }
    public PatroniNodeContainer node(String name) { return containers.node(name); }
    public Map<String, EtcdContainer> etcdMembers() { return Map.copyOf(containers.etcdMembers()); }
    public RouterContainer router() { return containers.router().orElse(null); }
    public Optional<PoolerContainer> pooler() { return containers.pooler(); }
    /** The Toxiproxy the topology's links pass through, if it routes any. */
    public Optional<LinkProxies> linkProxies() { return containers.links(); }

    public PatroniRest rest(String node) { return patroni.rest(node); }
    /** Patroni's view of the cluster, asked of the first node whose REST API answers. */
    public ClusterView clusterView() { return patroni.clusterView(); }

    /** JDBC URL of one node's PostgreSQL in the application database, for the superuser. */
    public String nodeJdbcUrl(String name) {
        return Endpoints.jdbcUrl(node(name).postgresPort(), Credentials.DATABASE, false);
    }

    /** JDBC URL of one node's PostgreSQL in the {@code postgres} database, which exists before the application's. */
    public String nodeAdminUrl(String name) {
        return replication.adminUrl(name);
    }

    /** The standby cluster following this one, when the topology declares one. */
    public Optional<StandbyClusterNodes> standbyCluster() { return Optional.ofNullable(standby); }

    public Endpoints endpoints() {
        return Endpoints.of(topology, containers);
    }
}
