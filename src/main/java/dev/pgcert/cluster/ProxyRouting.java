package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.Topology.ToxiproxyLink;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;
import org.testcontainers.containers.ContainerState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Sends the links the topology lists under {@code toxiproxy:} through the run's {@link LinkProxies}:
 * a node's etcd hosts, a replica's replication connections (by DNAT inside the replica) and the
 * clients' way in. Every proxy is created from a typed {@link ProxiedLink}.
 */
final class ProxyRouting {
    private final Topology topology;
    private final RunContainers containers;

    ProxyRouting(Topology topology, RunContainers containers) {
        this.topology = topology;
        this.containers = containers;
    }

    boolean routes(LinkKind kind, String node) {
        return topology.toxiproxyLinks().contains(new ToxiproxyLink(kind, kind == LinkKind.CLIENT ? "" : node));
    }

    /** The etcd client URLs {@code node}'s Patroni uses: through a proxy each when its DCS link is routed. */
    List<String> etcdHosts(String node) {
        return containers.etcdMembers().values().stream()
                .map(member -> routes(LinkKind.DCS, node)
                        ? "toxiproxy:" + links().create(ProxiedLink.dcs(node, member.alias(), member.clientUrl())).listenPort()
                        : member.clientUrl())
                .toList();
    }

    /**
     * Sends each chosen replica's replication connections through Toxiproxy: a DNAT rule in the
     * replica redirects its connections to every possible upstream (Patroni picks the upstream, and
     * it changes on failover) to that upstream's proxy; then its walreceiver is restarted so the
     * stream reconnects through the proxy. Returns whether any link was set up.
     */
    boolean routeReplication() {
        boolean any = false;
        for (Topology.Node replica : topology.nodes()) {
            if (!routes(LinkKind.REPLICATION, replica.name())) {
                continue;
            }
            ContainerState replicaContainer = containers.node(replica.name());
            for (Topology.Node upstream : topology.nodes()) {
                if (upstream.equals(replica)) {
                    continue;
                }
                LinkProxies.Route route = links().create(ProxiedLink.replication(replica.name(), upstream.name(),
                        upstream.name() + ":" + PatroniConfig.PG_PORT));
                execAsRoot(replicaContainer, "iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp",
                        "-d", containers.networkAddress(containers.node(upstream.name())),
                        "--dport", Integer.toString(PatroniConfig.PG_PORT),
                        "-j", "DNAT", "--to-destination", links().networkAddress() + ":" + route.listenPort());
            }
            execAsRoot(replicaContainer, "pkill", "-f", "walreceiver");
            any = true;
        }
        return any;
    }

    /** The clients' way in, through PgBouncer when the topology has one, else the router. */
    void routeClients() {
        if (!routes(LinkKind.CLIENT, null)) {
            return;
        }
        if (containers.pooler().isPresent()) {
            links().create(ProxiedLink.client("rw", "pgbouncer", "pgbouncer:" + PoolerConfig.PORT));
            links().create(ProxiedLink.client("ro", "pgbouncer", "pgbouncer:" + PoolerConfig.PORT));
        } else {
            links().create(ProxiedLink.client("rw", "router", "router:" + RouterConfig.RW_PORT));
            links().create(ProxiedLink.client("ro", "router", "router:" + RouterConfig.RO_PORT));
        }
    }

    private LinkProxies links() {
        return containers.links().orElseThrow(() -> new IllegalStateException("the run has no Toxiproxy"));
    }

    private static void execAsRoot(ContainerState container, String... command) {
        try {
            var result = container.execInContainerWithUser("root", command);
            if (result.getExitCode() != 0 && !command[0].equals("pkill")) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + container.getContainerId()
                        + ": " + result.getStderr().trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
