package dev.pgcert.cluster;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import dev.pgcert.topology.Topology.ToxiproxyLink;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Toxiproxy of a run, through which the topology's chosen links pass so that link faults
 * (latency, bandwidth, timeouts, resets) can act on them. Each proxy carries one {@link ProxiedLink};
 * {@link #routes(ToxiproxyLink)} selects them by the topology link they belong to.
 */
public final class LinkProxies implements Startable {
    /** ToxiproxyContainer exposes these 32 ports for proxies. */
    private static final int FIRST_PROXY_PORT = 8666;
    private static final int LAST_PROXY_PORT = 8697;

    /**
     * One proxy as created: the link it carries and its listen port on the run's network, where
     * {@code downstream} connects instead of {@code upstream}.
     */
    public record Route(ProxiedLink link, int listenPort) {
        public String name() { return link.name(); }
        public String downstream() { return link.downstream(); }
        public String upstream() { return link.upstream(); }
    }

    private final ToxiproxyContainer container;
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

    @Override
    public void start() {
        PortConflicts.start("toxiproxy", container::start, container::stop);
        client = new ToxiproxyClient(container.getHost(), container.getControlPort());
    }

    /** Creates the proxy that carries {@code link}; returns its route (where to connect instead). */
    Route create(ProxiedLink link) {
        int port = FIRST_PROXY_PORT + routes.size();
        if (port > LAST_PROXY_PORT) {
            throw new IllegalStateException("the topology routes more than 32 links through Toxiproxy");
        }
        try {
            client.createProxy(link.name(), "0.0.0.0:" + port, link.upstreamAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("creating Toxiproxy proxy " + link.name() + " to " + link.upstreamAddress()
                    + " failed", e);
        }
        Route route = new Route(link, port);
        routes.put(link.name(), route);
        return route;
    }

    /** The host port (on 127.0.0.1) of a route, for client links. */
    int hostPort(Route route) {
        return container.getMappedPort(route.listenPort());
    }

    /** The route of the client link {@code which} ({@code rw} or {@code ro}), if one was created. */
    java.util.Optional<Route> clientRoute(String which) {
        return java.util.Optional.ofNullable(routes.get(ProxiedLink.client(which, "", "").name()));
    }

    public ToxiproxyClient client() {
        return client;
    }

    /** Every proxied link, in creation order. */
    public List<Route> routes() {
        return List.copyOf(routes.values());
    }

    /** The proxies that carry the topology's {@code link}: every route whose link equals it. */
    public List<Route> routes(ToxiproxyLink link) {
        return select(routes.values(), link);
    }

    /** The routes of {@code all} that carry {@code link}, selected by equality of the typed link. */
    public static List<Route> select(java.util.Collection<Route> all, ToxiproxyLink link) {
        return all.stream().filter(r -> r.link().link().equals(link)).toList();
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
    public void stop() {
        container.stop();
    }
}
