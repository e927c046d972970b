package dev.pgcert.cluster;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The run's one list of containers (no Docker: containers are only described, never started). */
class RunContainersTest {
    private static final String IMAGE = "pgcert-test/none:0";

    @Test
    void listsEveryContainerOnceWithItsRoleInStartOrder() {
        Network network = Network.newNetwork(); // not created until its id is asked for
        RunContainers run = new RunContainers();
        run.setNetwork(network);
        List<String> etcd = List.of("etcd1", "etcd2");
        etcd.forEach(n -> run.addEtcd(new EtcdContainer(IMAGE, n, etcd, "t", "run", network, Duration.ofSeconds(1))));
        run.addNode("db", new PatroniNodeContainer(IMAGE, "db", "", "v1", null, "run", network));
        run.addNode("db-2", new PatroniNodeContainer(IMAGE, "db-2", "", "v2", null, "run", network));
        run.setRouter(new RouterContainer(IMAGE, "", "run", network, Duration.ofSeconds(1)));
        run.setPooler(new PoolerContainer(IMAGE, "", "", "run", network, Duration.ofSeconds(1)));

        assertThat(run.all()).extracting(RunContainers.Member::name)
                .containsExactly("etcd1", "etcd2", "db", "db-2", "router", "pgbouncer");
        assertThat(run.all()).extracting(RunContainers.Member::role).containsExactly(
                RunContainers.Role.ETCD, RunContainers.Role.ETCD, RunContainers.Role.NODE, RunContainers.Role.NODE,
                RunContainers.Role.ROUTER, RunContainers.Role.POOLER);
        assertThat(run.member("db-2")).map(RunContainers.Member::container).containsSame(run.node("db-2"));
        assertThat(run.member("db-3")).isEmpty();
        assertThat(run.links()).isEmpty();
    }

    @Test
    void aRunNotYetStartedHasNoContainers() {
        assertThat(new RunContainers().all()).isEmpty();
    }
}
