package dev.pgcert.cluster;

import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** One etcd member of the DCS. */
public final class EtcdContainer extends HarnessContainer<EtcdContainer> {
    public static final int CLIENT_PORT = 2379;
    public static final int PEER_PORT = 2380;

    public EtcdContainer(String image, String name, List<String> allMembers, String clusterToken,
                         String runId, Network network, Duration startupTimeout) {
        super(image, name, runId, network);
        String initialCluster = allMembers.stream()
                .map(m -> m + "=http://" + m + ":" + PEER_PORT)
                .collect(Collectors.joining(","));
        withCommand(
                "--name", name,
                "--data-dir", "/tmp/etcd-data",
                "--listen-client-urls", "http://0.0.0.0:" + CLIENT_PORT,
                "--advertise-client-urls", "http://" + name + ":" + CLIENT_PORT,
                "--listen-peer-urls", "http://0.0.0.0:" + PEER_PORT,
                "--initial-advertise-peer-urls", "http://" + name + ":" + PEER_PORT,
                "--initial-cluster", initialCluster,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new");
        withExposedPorts(CLIENT_PORT);
        // Network faults (a majority/minority split) put iptables rules into the member's own namespace.
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN));
        // Healthy means this member has a quorum; with three members they must all start together.
        waitingFor(Wait.forHttp("/health").forPort(CLIENT_PORT).forStatusCode(200).withStartupTimeout(startupTimeout));
    }

    public String clientUrl() {
        return alias() + ":" + CLIENT_PORT;
    }
}
