package dev.pgcert.fault;

import dev.pgcert.cluster.LinkProxies;
import dev.pgcert.cluster.ProxiedLink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which proxies a link fault acts on: selected by the typed link, never by a name prefix. */
class LinkSelectionTest {

    /** Nodes db and db-2, each with its DCS link to three etcd members and its replication stream proxied. */
    private static final List<LinkProxies.Route> ROUTES = List.of(
            new LinkProxies.Route(ProxiedLink.dcs("db", "etcd1", "etcd1:2379"), 8666),
            new LinkProxies.Route(ProxiedLink.dcs("db", "etcd2", "etcd2:2379"), 8667),
            new LinkProxies.Route(ProxiedLink.dcs("db", "etcd3", "etcd3:2379"), 8668),
            new LinkProxies.Route(ProxiedLink.dcs("db-2", "etcd1", "etcd1:2379"), 8669),
            new LinkProxies.Route(ProxiedLink.dcs("db-2", "etcd2", "etcd2:2379"), 8670),
            new LinkProxies.Route(ProxiedLink.dcs("db-2", "etcd3", "etcd3:2379"), 8671),
            new LinkProxies.Route(ProxiedLink.replication("db-2", "db", "db:5432"), 8672),
            new LinkProxies.Route(ProxiedLink.replication("db", "db-2", "db-2:5432"), 8673),
            new LinkProxies.Route(ProxiedLink.client("rw", "router", "router:5000"), 8674),
            new LinkProxies.Route(ProxiedLink.client("ro", "router", "router:5001"), 8675));

    @Test
    void aDcsLinkFaultOnDbTouchesOnlyDbsProxies() {
        List<LinkProxies.Route> chosen = LinkFault.routesOf(ROUTES, LinkFault.Link.DCS, "db");

        assertThat(chosen).extracting(LinkProxies.Route::listenPort).containsExactly(8666, 8667, 8668);
        assertThat(chosen).allSatisfy(r -> assertThat(r.downstream()).isEqualTo("db"));
        // The name prefix the fault used to select by matched db-2's proxies too.
        assertThat(ROUTES).filteredOn(r -> r.name().startsWith("dcs-db-")).hasSize(6);
    }

    @Test
    void aDcsLinkFaultOnDb2TouchesOnlyDb2sProxies() {
        assertThat(LinkFault.routesOf(ROUTES, LinkFault.Link.DCS, "db-2"))
                .extracting(LinkProxies.Route::listenPort).containsExactly(8669, 8670, 8671);
    }

    @Test
    void aReplicationLinkFaultTouchesTheReplicasOwnStreamNotTheOneItFeeds() {
        assertThat(LinkFault.routesOf(ROUTES, LinkFault.Link.REPLICATION, "db"))
                .extracting(LinkProxies.Route::name).containsExactly("replication-db-from-db-2");
        assertThat(LinkFault.routesOf(ROUTES, LinkFault.Link.REPLICATION, "db-2"))
                .extracting(LinkProxies.Route::name).containsExactly("replication-db-2-from-db");
    }

    @Test
    void theClientLinkIsBothClientProxiesWhateverNodeIsNamed() {
        assertThat(LinkFault.routesOf(ROUTES, LinkFault.Link.CLIENT, "db"))
                .extracting(LinkProxies.Route::name).containsExactly("client-rw", "client-ro");
    }
}
