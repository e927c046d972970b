package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.pgcert.topology.Topology;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

/**
 * The race the harness guards against: a host port is chosen, another program binds it, then
 * Docker tries to. Here the other program is this test, which listens on the very port the
 * container is handed first; the start must still succeed, on another port, on 127.0.0.1 only.
 */
class HostPortConflictIT {

    @Test
    void aStartWhoseHostPortWasTakenIsRetriedWithAFreshPort() throws Exception {
        String image = new HarnessImages(Topology.Images.defaults()).resolve(HarnessImages.Component.ETCD);
        String runId = HarnessLabels.newRunId();
        int taken = HostPorts.system().getAsInt();
        List<Integer> handedOut = new ArrayList<>();
        IntSupplier firstTaken = () -> {
            int port = handedOut.isEmpty() ? taken : HostPorts.system().getAsInt();
            handedOut.add(port);
            return port;
        };
        try (ServerSocket other = new ServerSocket(taken, 50, InetAddress.getLoopbackAddress());
             Network network = Network.builder()
                     .createNetworkCmdModifier(cmd -> cmd.withName("pgcert-" + runId).withLabels(HarnessLabels.forRun(runId)))
                     .build();
             EtcdContainer etcd = new EtcdContainer(image, "etcd-1", List.of("etcd-1"), "conflict-" + runId,
                     runId, network, Duration.ofSeconds(60)).withHostPorts(firstTaken)) {
            etcd.start();

            int mapped = etcd.getMappedPort(EtcdContainer.CLIENT_PORT);
            assertThat(handedOut).as("ports handed out: the taken one, then a fresh one").hasSize(2).startsWith(taken);
            assertThat(mapped).isEqualTo(handedOut.get(1)).isNotEqualTo(taken);
            assertThat(other.getLocalPort()).as("the other program still holds its port").isEqualTo(taken);

            Ports.Binding[] bindings = etcd.getContainerInfo().getHostConfig().getPortBindings().getBindings()
                    .get(ExposedPort.tcp(EtcdContainer.CLIENT_PORT));
            assertThat(bindings).extracting(Ports.Binding::getHostIp).containsExactly("127.0.0.1");

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mapped + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            ShippedTopologiesIT.assertNothingLeft(runId);
        }
    }
}
