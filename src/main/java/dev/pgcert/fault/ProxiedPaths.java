package dev.pgcert.fault;

import dev.pgcert.cluster.LinkProxies;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The links between a partition's target and its peers that go through Toxiproxy. Their packets carry
 * the proxy's address, not the peer's, so dropping the peer's address misses them: a primary "cut off
 * from its replicas" would keep streaming to every proxied one. Each such link is cut by the proxy's
 * address and the link's own listen port, in the container that connects to the proxy (a replica for
 * replication, a node for the DCS); that is exact even when the proxy carries other links to the same
 * target. Client links are never cut: their downstream is the harness, which is not a peer.
 */
final class ProxiedPaths {

    /** One rule: in {@code container}, drop its connection to the proxy's {@code port}, one or both ways. */
    record Cut(String container, IptablesChain.ProxyPort port, IptablesChain.Direction direction) {}

    private ProxiedPaths() {}

    /**
     * @param direction the partition's direction as the target sees it; a cut made at the other end of
     *                  the link runs the other way round
     */
    static List<Cut> between(String target, Collection<String> peers, List<LinkProxies.Route> routes, String proxyIp,
                             IptablesChain.Direction direction) {
        List<Cut> cuts = new ArrayList<>();
        for (LinkProxies.Route route : routes) {
            IptablesChain.ProxyPort port = new IptablesChain.ProxyPort(proxyIp, route.listenPort());
            if (route.downstream().equals(target) && peers.contains(route.upstream())) {
                cuts.add(new Cut(target, port, direction));
            } else if (route.upstream().equals(target) && peers.contains(route.downstream())) {
                cuts.add(new Cut(route.downstream(), port, direction.reversed()));
            }
        }
        return cuts;
    }
}
