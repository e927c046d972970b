package dev.pgcert.cluster;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What every container of a run shares: the run's labels (so teardown and the sweeper find it), a
 * network alias on the run's private network, and published ports bound to 127.0.0.1 only, on
 * host ports from {@link HostPorts} (outside the kernel's ephemeral range). A start that fails
 * because another program took a chosen port in the meantime is retried with fresh ports
 * ({@link PortConflicts}).
 */
public abstract class HarnessContainer<SELF extends HarnessContainer<SELF>> extends GenericContainer<SELF> {
    private final String alias;
    private IntSupplier hostPorts = HostPorts.system();

    protected HarnessContainer(String image, String alias, String runId, Network network) {
        super(image);
        this.alias = alias;
        withNetwork(network);
        withNetworkAliases(alias);
        withLabels(Map.copyOf(HarnessLabels.forRun(runId)));
        withCreateContainerCmdModifier(cmd -> cmd.withName("pgcert-" + runId + "-" + alias).withHostName(alias));
        // Fixed host ports (not Docker's random ones): Docker keeps them in the container's
        // configuration, so a container that a fault kills or restarts comes back on the same ports
        // and the run's URLs stay valid. Chosen anew only when the container is created.
        withCreateContainerCmdModifier(cmd -> HostPorts.bindLoopback(cmd, hostPorts));
    }

    /** Where host ports come from (tests hand out a taken one to provoke a conflict). */
    SELF withHostPorts(IntSupplier ports) {
        this.hostPorts = ports;
        return self();
    }

    @Override
    public void start() {
        PortConflicts.start(alias, super::start, this::stop);
    }

    public String alias() {
        return alias;
    }
}
