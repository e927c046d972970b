package dev.pgcert.fault;

import dev.pgcert.cluster.Waits;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.pgcert.fault.FaultTestCluster.measure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Link faults on a node's DCS link, on the shipped etcd-quorum topology (three etcd members; every
 * node reaches etcd through Toxiproxy). A primary whose etcd requests cannot complete cannot renew its
 * leader key, so Patroni must demote it within ttl and another node must lead, exactly as with an
 * iptables partition from the DCS, but here through the proxy the topology put on that link.
 */
class DcsLinkFaultsIT {
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of(TopologyLoader.load(Path.of("topologies", "etcd-quorum.yaml")));

    /** link-down: connections to etcd are closed and refused. */
    @Test
    void primaryWhoseDcsLinkIsDownDemotesAndAnotherLeads() {
        demotesWhenItsDcsLinkFails(Map.of("kind", "link-down", "link", "dcs", "target", "primary"), "dcs link-down");
    }

    /** link-timeout, held until healed: requests to etcd hang without an answer, as with a stalled etcd. */
    @Test
    void primaryWhoseDcsRequestsHangDemotesAndAnotherLeads() {
        demotesWhenItsDcsLinkFails(Map.of("kind", "link-timeout", "link", "dcs", "target", "primary"), "dcs link-timeout");
    }

    private void demotesWhenItsDcsLinkFails(Map<String, String> spec, String label) {
        String old = c.leader();
        Fault fault = c.nemesis.start(c.fault("dcs-link", spec));
        long startedAt = System.nanoTime();
        assertThat(fault.target()).isEqualTo(old);
        @SuppressWarnings("unchecked")
        List<String> proxies = (List<String>) fault.detail().get("proxies");
        assertThat(proxies).as("the proxies of %s's DCS link", old)
                .containsExactlyInAnyOrder("dcs-" + old + "-etcd1", "dcs-" + old + "-etcd2", "dcs-" + old + "-etcd3");

        Waits.until(old + " to demote itself", c.budgets.selfDemotion(), c.budgets.poll(),
                () -> new Waits.Probe(c.inRecoveryOrFalse(old), old + (c.inRecoveryOrFalse(old) ? " in recovery" : " primary")));
        Duration demoted = since(startedAt);
        measure(label, "primary in recovery", demoted, c.budgets.selfDemotion());

        String next = c.awaitNewLeader(old, c.budgets.failover());
        measure(label, "another node leads", since(startedAt), c.budgets.failover());
        assertThat(next).isNotEqualTo(old);

        long healedAt = System.nanoTime();
        c.nemesis.heal(fault);
        c.awaitStreaming(old, next, c.budgets.rejoin());
        measure(label, "old primary streaming after heal", since(healedAt), c.budgets.rejoin());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
