package dev.pgcert.cluster;

import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import java.time.Duration;

/** HAProxy with the read-write and read-only ports. */
public final class RouterContainer extends HarnessContainer<RouterContainer> {

    public RouterContainer(String image, String haproxyCfg, String runId, Network network, Duration startupTimeout) {
        super(image, "router", runId, network);
        withCopyToContainer(Transferable.of(haproxyCfg, 0644), "/usr/local/etc/haproxy/haproxy.cfg");
        withExposedPorts(RouterConfig.RW_PORT, RouterConfig.RO_PORT, RouterConfig.STATS_PORT);
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN));
        waitingFor(Wait.forHttp("/").forPort(RouterConfig.STATS_PORT).withStartupTimeout(startupTimeout));
    }

    public int readWritePort() {
        return getMappedPort(RouterConfig.RW_PORT);
    }

    /** The stats listener (HTTP, {@code /;csv}) on this host. */
    public int statsPort() {
        return getMappedPort(RouterConfig.STATS_PORT);
    }

    public int readOnlyPort() {
        return getMappedPort(RouterConfig.RO_PORT);
    }
}
