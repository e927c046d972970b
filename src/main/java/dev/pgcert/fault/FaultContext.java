package dev.pgcert.fault;

import com.github.dockerjava.api.DockerClient;
import dev.pgcert.cluster.ExtraMembers;
import dev.pgcert.cluster.LinkProxies;
import dev.pgcert.cluster.PatroniApi;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.cluster.Replication;
import dev.pgcert.cluster.RunContainers;
import dev.pgcert.topology.Topology;
import org.testcontainers.DockerClientFactory;

import java.util.Optional;
import java.util.Random;

/**
 * What a fault needs to act, through the cluster's narrow parts rather than the whole cluster: the
 * topology, the run's containers ({@link RunContainers}, with the Toxiproxy links), Patroni's REST APIs,
 * the one reader of pg_stat_replication, where to record its window, a seeded random source (the
 * choice of "any replica" or "any etcd member" is then reproducible from the seed), and the entry point
 * that starts members the topology does not list ({@link ExtraMembers}, for add-member).
 */
public record FaultContext(Topology topology, RunContainers containers, PatroniApi patroni, Replication replication,
                           FaultRecorder recorder, Random random, ExtraMembers members) {

    public FaultContext(Topology topology, RunContainers containers, PatroniApi patroni, Replication replication,
                        FaultRecorder recorder, Random random) {
        this(topology, containers, patroni, replication, recorder, random, null);
    }

    public FaultContext(PatroniCluster cluster, FaultRecorder recorder, Random random) {
        this(cluster.topology(), cluster.containers(), cluster.patroni(), cluster.replication(), recorder, random,
                cluster.extraMembers());
    }

    public FaultContext(PatroniCluster cluster, FaultRecorder recorder) {
        this(cluster, recorder, new Random());
    }

    /** A context without a cluster, for faults that touch none (tests of the nemesis itself). */
    public static FaultContext detached(FaultRecorder recorder) {
        return new FaultContext(null, null, null, null, recorder, new Random());
    }

    /** The Toxiproxy the topology's links pass through, if it routes any. */
    public Optional<LinkProxies> links() {
        return containers.links();
    }

    public TargetResolver targets() {
        return new TargetResolver(containers, patroni, random);
    }

    public FaultBudgets budgets() {
        return FaultBudgets.of(topology);
    }

    public DockerOps docker() {
        return new DockerOps(dockerClient(), containers);
    }

    static DockerClient dockerClient() {
        return DockerClientFactory.instance().client();
    }
}
