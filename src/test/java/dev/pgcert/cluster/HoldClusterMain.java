package dev.pgcert.cluster;

import dev.pgcert.topology.TopologyLoader;

import java.nio.file.Path;

/** Starts a cluster, says so, and holds it until killed: the victim of {@link CrashedRunSweepIT}. */
public final class HoldClusterMain {
    public static void main(String[] args) throws Exception {
        PatroniCluster cluster = new PatroniCluster(TopologyLoader.load(Path.of(args[0])));
        cluster.start();
        System.out.println("READY " + cluster.runId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
