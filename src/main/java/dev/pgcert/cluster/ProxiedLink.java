package dev.pgcert.cluster;

import dev.pgcert.topology.Topology.ToxiproxyLink;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;

/**
 * One connection path that a Toxiproxy proxy carries, typed: which of the topology's {@code toxiproxy:}
 * links it belongs to ({@link #link()}), who connects ({@code downstream}) and to whom ({@code upstream},
 * at {@code upstreamAddress} on the run's network). Faults select proxies by {@link #link()} equality,
 * never by the proxy's name: node names may contain '-', so a name prefix of one node can match another.
 *
 * <p>The proxy names ({@code client-rw}, {@code dcs-<node>-<member>}, {@code replication-<replica>-from-<upstream>})
 * are made here and only serve Toxiproxy and humans reading its log.
 */
public record ProxiedLink(ToxiproxyLink link, String name, String downstream, String upstream, String upstreamAddress) {

    /** The downstream of client links: the harness on the host, which no partition cuts. */
    public static final String CLIENTS = "clients";

    /** The clients' way in, {@code which} is {@code rw} or {@code ro}, to PgBouncer or the router. */
    public static ProxiedLink client(String which, String upstream, String upstreamAddress) {
        return new ProxiedLink(new ToxiproxyLink(LinkKind.CLIENT, ""), "client-" + which, CLIENTS, upstream, upstreamAddress);
    }

    /** {@code replica}'s replication connection to one of its possible upstreams. */
    public static ProxiedLink replication(String replica, String upstream, String upstreamAddress) {
        return new ProxiedLink(new ToxiproxyLink(LinkKind.REPLICATION, replica),
                "replication-" + replica + "-from-" + upstream, replica, upstream, upstreamAddress);
    }

    /** {@code node}'s Patroni connection to the etcd member {@code member}. */
    public static ProxiedLink dcs(String node, String member, String upstreamAddress) {
        return new ProxiedLink(new ToxiproxyLink(LinkKind.DCS, node), "dcs-" + node + "-" + member, node, member,
                upstreamAddress);
    }
}
