package dev.pgcert.fault;

import com.github.dockerjava.api.DockerClient;
import dev.pgcert.cluster.PatroniCluster;
import org.testcontainers.DockerClientFactory;

import java.util.Random;

/**
 * What a fault needs to act: the live cluster, where to record its window, and a seeded random source
 * (the choice of "any replica" or "any etcd member" is then reproducible from the seed).
 */
public record FaultContext(PatroniCluster cluster, FaultRecorder recorder, Random random) {

    public FaultContext(PatroniCluster cluster, FaultRecorder recorder) {
        this(cluster, recorder, new Random());
    }

    public TargetResolver targets() {
        return new TargetResolver(cluster, random);
    }

    public FaultBudgets budgets() {
        return FaultBudgets.of(cluster.topology());
    }

    public DockerOps docker() {
        return new DockerOps(dockerClient(), cluster);
    }

    static DockerClient dockerClient() {
        return DockerClientFactory.instance().client();
    }
}
