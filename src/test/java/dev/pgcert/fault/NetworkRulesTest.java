package dev.pgcert.fault;

import dev.pgcert.cluster.LinkProxies;
import dev.pgcert.cluster.ProxiedLink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkRulesTest {
    @Test
    void eachFaultHasItsOwnChainWithinIptablesLimits() {
        assertThat(new IptablesChain("p1").name()).isEqualTo("PGCERT-p1");
        String longName = new IptablesChain("partition-of-the-primary-from-its-replicas").name();
        assertThat(longName).hasSizeLessThanOrEqualTo(28).startsWith("PGCERT-");
        assertThat(longName).isNotEqualTo(new IptablesChain("partition-of-the-primary-from-its-replicaz").name());
        assertThat(new IptablesChain("a b/c").name()).isEqualTo("PGCERT-a_b_c");
    }

    @Test
    void oneWayRulesDropOnlyThatDirection() {
        IptablesChain chain = new IptablesChain("p");
        String in = chain.installScript(List.of("10.0.0.2"), IptablesChain.Direction.IN);
        assertThat(in).contains("-A PGCERT-p -s 10.0.0.2 -j DROP").doesNotContain("-d 10.0.0.2");
        String out = chain.installScript(List.of("10.0.0.2"), IptablesChain.Direction.OUT);
        assertThat(out).contains("-A PGCERT-p -d 10.0.0.2 -j DROP").doesNotContain("-s 10.0.0.2");
        String both = chain.installScript(List.of("10.0.0.2", "10.0.0.3"), IptablesChain.Direction.BOTH);
        assertThat(both).contains("-s 10.0.0.3 -j DROP", "-d 10.0.0.3 -j DROP", "-I INPUT 1 -j PGCERT-p", "-I OUTPUT 1 -j PGCERT-p");
        assertThat(both).doesNotContain("REJECT");
    }

    @Test
    void proxiedLinksAreCutByTheProxysPortOnly() {
        String out = new IptablesChain("p").installScript(List.of(), List.of(new IptablesChain.ProxyPort("10.0.0.9", 8667)),
                IptablesChain.Direction.OUT);
        assertThat(out).contains("-A PGCERT-p -d 10.0.0.9 -p tcp --dport 8667 -j DROP").doesNotContain("-s 10.0.0.9");
        String in = new IptablesChain("p").installScript(List.of(), List.of(new IptablesChain.ProxyPort("10.0.0.9", 8667)),
                IptablesChain.Direction.IN);
        assertThat(in).contains("-A PGCERT-p -s 10.0.0.9 -p tcp --sport 8667 -j DROP").doesNotContain("-d 10.0.0.9");
    }

    /** three-node-async's proxies: node2 and node3 stream through Toxiproxy, node1's DCS link does too. */
    private static final List<LinkProxies.Route> ROUTES = List.of(
            new LinkProxies.Route(ProxiedLink.client("rw", "pgbouncer", "pgbouncer:6432"), 8666),
            new LinkProxies.Route(ProxiedLink.dcs("node1", "etcd1", "etcd1:2379"), 8667),
            new LinkProxies.Route(ProxiedLink.replication("node2", "node1", "node1:5432"), 8668),
            new LinkProxies.Route(ProxiedLink.replication("node2", "node3", "node3:5432"), 8669),
            new LinkProxies.Route(ProxiedLink.replication("node3", "node1", "node1:5432"), 8670),
            new LinkProxies.Route(ProxiedLink.replication("node3", "node2", "node2:5432"), 8671));

    @Test
    void aPrimaryCutOffFromItsReplicasAlsoLosesTheirProxiedStreamsCutAtTheReplicaEnd() {
        var cuts = ProxiedPaths.between("node1", List.of("node2", "node3"), ROUTES, "10.0.0.9", IptablesChain.Direction.OUT);
        assertThat(cuts).containsExactly(
                new ProxiedPaths.Cut("node2", new IptablesChain.ProxyPort("10.0.0.9", 8668), IptablesChain.Direction.IN),
                new ProxiedPaths.Cut("node3", new IptablesChain.ProxyPort("10.0.0.9", 8670), IptablesChain.Direction.IN));
    }

    @Test
    void aNodeCutOffFromTheDcsLosesItsProxiedDcsLinkAndNothingElse() {
        var cuts = ProxiedPaths.between("node1", List.of("etcd1"), ROUTES, "10.0.0.9", IptablesChain.Direction.BOTH);
        assertThat(cuts).containsExactly(
                new ProxiedPaths.Cut("node1", new IptablesChain.ProxyPort("10.0.0.9", 8667), IptablesChain.Direction.BOTH));
        assertThat(ProxiedPaths.between("pgbouncer", List.of("router"), ROUTES, "10.0.0.9", IptablesChain.Direction.BOTH))
                .as("the client link's downstream is the harness, never a peer").isEmpty();
    }

    @Test
    void removalTouchesOnlyTheFaultsChainAndNeverFails() {
        String remove = new IptablesChain("p").removeScript();
        assertThat(remove).contains("-D $hook -j PGCERT-p", "-F PGCERT-p", "-X PGCERT-p").endsWith("true");
        assertThat(remove).doesNotContain("iptables -F;").doesNotContain("iptables -F ;");
    }

    @Test
    void ballastBringsTheVolumeToTheLevel() {
        assertThat(DiskFillFault.ballastBytes(1000, 100, 100)).isEqualTo(900);
        assertThat(DiskFillFault.ballastBytes(1000, 100, 50)).isEqualTo(400);
        assertThat(DiskFillFault.ballastBytes(1000, 600, 50)).isZero();
    }

    @Test
    void budgetsFollowPatroniSettings() {
        var b = new FaultBudgets(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(4), java.time.Duration.ofSeconds(120));
        assertThat(b.failover()).hasSeconds(18);
        assertThat(b.selfDemotion()).hasSeconds(12);
        assertThat(b.poll()).hasMillis(500);
    }
}
