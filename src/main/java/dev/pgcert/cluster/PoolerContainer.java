package dev.pgcert.cluster;

import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import java.time.Duration;

/** PgBouncer between the clients and the router. */
public final class PoolerContainer extends HarnessContainer<PoolerContainer> {

    public PoolerContainer(String image, String ini, String userlist, String runId, Network network, Duration startupTimeout) {
        super(image, "pgbouncer", runId, network);
        withCopyToContainer(Transferable.of(ini, 0644), "/etc/pgbouncer/pgbouncer.ini");
        withCopyToContainer(Transferable.of(userlist, 0644), "/etc/pgbouncer/userlist.txt");
        withExposedPorts(PoolerConfig.PORT);
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN));
        waitingFor(Wait.forLogMessage(".*process up.*", 1).withStartupTimeout(startupTimeout));
    }

    public int port() {
        return getMappedPort(PoolerConfig.PORT);
    }
}
