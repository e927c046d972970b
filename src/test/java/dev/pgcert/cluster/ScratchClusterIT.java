package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

class ScratchClusterIT {
    @Test
    void boots() {
        var node = (java.util.function.Function<String, Topology.Node>) n ->
                new Topology.Node(n, Optional.empty(), false, false, Optional.empty(), Optional.empty());
        Topology t = new Topology("scratch", "java", java.util.Map.of(),
                new Topology.PatroniSettings(10, 2, 4, 1048576, false, false, 1, true, false),
                new Topology.Dcs(1), List.of(node.apply("node1"), node.apply("node2"), node.apply("node3")),
                Optional.of(new Topology.PgBouncer(Topology.PgBouncer.PoolMode.TRANSACTION, 20, 200, Duration.ofSeconds(1))),
                new Topology.Router(Topology.RouteCheck.endpoint("/primary"), Topology.RouteCheck.endpoint("/replica"),
                        Duration.ofSeconds(1), 2, 1),
                List.of(), Topology.Images.defaults(), Duration.ofSeconds(120));
        PatroniCluster c = new PatroniCluster(t);
        try {
            c.start();
            System.out.println("READY " + c.timeToReady() + " " + c.clusterView().summary());
        } finally {
            c.stop();
        }
    }
}
