package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the time from start() to a ready cluster for every shipped topology, images already built.
 * A benchmark, not a timed test: it asserts nothing about speed. Run with
 * {@code mvn verify -Pbenchmark} (or -Dgroups=benchmark -Dit.test=TimeToReadyBenchmark).
 */
@Tag("benchmark")
class TimeToReadyBenchmark {

    @Test
    void printTimeToReady() throws Exception {
        List<String> rows = new ArrayList<>();
        for (String name : List.of("three-node-async", "three-node-sync", "cascade", "etcd-quorum")) {
            Topology topology = TopologyLoader.load(Path.of("topologies", name + ".yaml"));
            // Images are built on the first start and reused after: run the benchmark on a machine
            // that has run the suite once, or the first round includes the build.
            for (int round = 1; round <= Integer.getInteger("bench.rounds", 2); round++) {
                PatroniCluster cluster = new PatroniCluster(topology);
                try {
                    cluster.start();
                    rows.add(String.format("%-18s round %d  ready in %6.1f s", name, round,
                            cluster.timeToReady().orElseThrow().toMillis() / 1000.0));
                } finally {
                    cluster.stop();
                }
            }
        }
        System.out.println("== time to a ready cluster (images built) ==");
        rows.forEach(System.out::println);
    }
}
