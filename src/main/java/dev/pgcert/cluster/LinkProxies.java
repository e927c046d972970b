package dev.pgcert.cluster;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.testcontainers.containers.Network;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Toxiproxy of a run, through which the topology's chosen links pass so that link faults
 * (latency, bandwidth, timeouts, resets) can act on them. Proxy names say which link they carry:
 * {@code client-rw}, {@code client-ro}, {@code dcs-<node>-<etcd member>},
 * {@code replication-<replica>-from-<upstream>}.
 */
public final class LinkProxies implements AutoCloseable {
    /** ToxiproxyContainer exposes these 32 ports for proxies. */
    private static final int FIRST_PROXY_PORT = 8666;
    private static final int LAST_PROXY_PORT = 8697;

    /**
     * One proxied link: {@code downstream} is the component that connects (to the proxy's listen port on
     * the run's network) and {@code upstream} the one the proxy connects to. The client links' downstream
     * is {@link #CLIENTS}, the harness on the host, which no partition cuts.
     */
    public record Route(String name, String downstream, String upstream, int listenPort) {}

    public static final String CLIENTS = "clients";

    private final ToxiproxyContainer container;
    private final Map<String, Integer> listenPorts = new LinkedHashMap<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private ToxiproxyClient client;

    LinkProxies(DockerImageName image, String runId, Network network) {
        container = new ToxiproxyContainer(image)
                .withNetwork(network)
                .withNetworkAliases("toxiproxy")
                .withLabels(HarnessLabels.forRun(runId))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName("pgcert-" + runId + "-toxiproxy");
                    // 33 host ports on 127.0.0.1, outside the ephemeral range (see HarnessContainer).
                    HostPorts.bindLoopback(cmd, HostPorts.system());
                });
    }

    void start() {
        PortConflicts.start("toxiproxy", container::start, container::stop);
        client = new ToxiproxyClient(container.getHost(), container.getControlPort());
    }

    /**
     * Creates a proxy from {@code downstream} to {@code upstream} (a component of the run) at
     * {@code upstreamAddress} (host:port on the run's network); returns where to connect instead.
     */
    String create(String name, String downstream, String upstream, String upstreamAddress) {
        int port = FIRST_PROXY_PORT + listenPorts.size();
        if (port > LAST_PROXY_PORT) {
            throw new IllegalStateException("the topology routes more than 32 links through Toxiproxy");
        }
        try {
            client.createProxy(name, "0.0.0.0:" + port, upstreamAddress);
        } catch (IOException e) {
            throw new UncheckedIOException("creating Toxiproxy proxy " + name + " to " + upstreamAddress + " failed", e);
        }
        listenPorts.put(name, port);
        routes.put(name, new Route(name, downstream, upstream, port));
        return "toxiproxy:" + port;
    }

    /** The host port (on 127.0.0.1) of a proxy, for client links. */
    int hostPort(String name) {
        return container.getMappedPort(listenPorts.get(name));
    }

    public ToxiproxyClient client() {
        return client;
    }

    public List<String> proxyNames() {
        return List.copyOf(listenPorts.keySet());
    }

    /** Every proxied link, in creation order. */
    public List<Route> routes() {
        return List.copyOf(routes.values());
    }

    public Proxy proxy(String name) {
        try {
            return client.getProxy(name);
        } catch (IOException e) {
            throw new UncheckedIOException("Toxiproxy proxy " + name + " unavailable", e);
        }
    }

    /** The container's address on the run's network (DNAT rules in replicas, partitions of proxied links). */
    public String networkAddress() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    ToxiproxyContainer container() {
        return container;
    }

    @Override
    public void close() {
        container.stop();
    }
}
