package dev.pgcert.cluster;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * What every container of a run shares: the run's labels (so teardown and the sweeper find it), a
 * network alias on the run's private network, published ports bound to 127.0.0.1 only, and its log
 * written to the run directory for the report.
 */
public abstract class HarnessContainer<SELF extends HarnessContainer<SELF>> extends GenericContainer<SELF> {
    private final String alias;

    protected HarnessContainer(String image, String alias, String runId, Network network) {
        super(image);
        this.alias = alias;
        withNetwork(network);
        withNetworkAliases(alias);
        withLabels(Map.copyOf(HarnessLabels.forRun(runId)));
        withCreateContainerCmdModifier(cmd -> cmd.withName("pgcert-" + runId + "-" + alias).withHostName(alias));
        withCreateContainerCmdModifier(cmd -> {
            // Testcontainers publishes on every interface; the harness's ports are for this host only.
            // Fixed host ports (not Docker's random ones) survive a restart of the container by a fault.
            Ports bindings = new Ports();
            for (ExposedPort port : cmd.getExposedPorts()) {
                bindings.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", freeLoopbackPort()));
            }
            cmd.getHostConfig().withPortBindings(bindings);
        });
    }

    private static int freeLoopbackPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    public String alias() {
        return alias;
    }

    @SuppressWarnings("unchecked")
    public SELF withLogFile(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        withLogConsumer((OutputFrame frame) -> appendTo(file, frame.getUtf8String()));
        return (SELF) this;
    }

    private static synchronized void appendTo(Path file, String text) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(text);
        } catch (IOException e) {
            // A lost log line must not fail a run; the container's own log stays in Docker until teardown.
        }
    }
}
