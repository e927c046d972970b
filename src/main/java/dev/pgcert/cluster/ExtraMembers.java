package dev.pgcert.cluster;

import com.github.dockerjava.api.exception.DockerException;
import dev.pgcert.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Members started during a run that the topology does not list (the {@code add-member} fault): each a
 * new container from the run's Patroni image with the topology's settings, joining the same scope, on
 * a data volume of its own. It is added to {@link RunContainers} (faults can aim at it, teardown and
 * logs include it) and {@link #remove} takes it out again. Patroni then clones it from the leader,
 * exactly as a replacement host joins a real cluster.
 */
public final class ExtraMembers {
    private static final Logger LOG = LoggerFactory.getLogger(ExtraMembers.class);

    private final Topology topology;
    private final RunContainers containers;
    private final Credentials credentials;
    private final String runId;
    private final Map<String, String> volumes = new LinkedHashMap<>();
    private String image;
    private RunVolumes runVolumes;
    private ProxyRouting routing;

    ExtraMembers(Topology topology, RunContainers containers, Credentials credentials, String runId) {
        this.topology = topology;
        this.containers = containers;
        this.credentials = credentials;
        this.runId = runId;
    }

    /** Called once the cluster's own nodes exist: what a new member is built from. */
    void prepare(String patroniImage, RunVolumes volumesOfRun, ProxyRouting proxyRouting) {
        this.image = patroniImage;
        this.runVolumes = volumesOfRun;
        this.routing = proxyRouting;
    }

    /** Creates and starts member {@code name}; returns once its container runs (not once it streams). */
    public synchronized PatroniNodeContainer add(String name) {
        if (image == null) {
            throw new IllegalStateException("the cluster is not started: no member can join it");
        }
        if (containers.member(name).isPresent()) {
            throw new IllegalArgumentException("the run already has a container named " + name);
        }
        Topology.Node node = new Topology.Node(name, Optional.empty(), false, false, Optional.empty(), Optional.empty());
        String volume = runVolumes.create(name + "-data", Optional.empty());
        volumes.put(name, volume);
        String yaml = PatroniConfig.render(topology, node, routing.etcdHosts(name), credentials);
        PatroniNodeContainer container = new PatroniNodeContainer(image, name, yaml, volume, null, runId, containers.network());
        containers.addNode(name, container);
        container.start();
        LOG.info("member {} added to {} (run {})", name, topology.name(), runId);
        return container;
    }

    /** Stops member {@code name} cleanly (SIGTERM, Patroni stops PostgreSQL), removes its container and volume. */
    public synchronized void remove(String name) {
        PatroniNodeContainer container = containers.nodes().get(name);
        if (container == null || !volumes.containsKey(name)) {
            return; // not one of ours, or removed already
        }
        var docker = DockerClientFactory.instance().client();
        try {
            if (container.getContainerId() != null) {
                docker.stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
            }
        } catch (DockerException e) {
            LOG.warn("stopping added member {} failed: {}", name, e.getMessage());
        }
        container.stop();
        containers.removeNode(name);
        runVolumes.remove(volumes.remove(name));
    }

    /** Whether {@code name} is a member added during the run. */
    public synchronized boolean isExtra(String name) {
        return volumes.containsKey(name);
    }
}
