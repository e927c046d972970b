package dev.pgcert.cluster;

import dev.pgcert.topology.Connect;
import dev.pgcert.topology.Topology;
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

    /**
     * The pooler of a topology's connection path: in front of HAProxy ({@code pgbouncer-haproxy}), or alone
     * in front of the nodes ({@code pgbouncer}), where the image's leader follower asks each node's Patroni
     * {@code /primary} and {@code /replica} every {@code connect.leader_check_interval} and re-points
     * PgBouncer's two databases (a rewrite of pgbouncer.ini and a RELOAD) when the answer changes.
     */
    static PoolerContainer forPath(Topology topology, Topology.PgBouncer b, String image, Credentials credentials,
                                   String runId, Network network, String firstLeader) {
        if (topology.connect().path() != Connect.Path.PGBOUNCER) {
            return new PoolerContainer(image, PoolerConfig.ini(b, "router", credentials.appUser()),
                    PoolerConfig.userlist(credentials), runId, network, topology.startupTimeout());
        }
        PoolerContainer pooler = new PoolerContainer(image, PoolerConfig.iniDirect(b, firstLeader, credentials.appUser()),
                PoolerConfig.userlist(credentials), runId, network, topology.startupTimeout());
        pooler.withEnv("FOLLOW_NODES", String.join(" ", topology.nodes().stream().map(Topology.Node::name).toList()))
                .withEnv("FOLLOW_REST_PORT", Integer.toString(PatroniConfig.REST_PORT))
                .withEnv("FOLLOW_INTERVAL", String.format(java.util.Locale.ROOT, "%.3f",
                        topology.connect().leaderCheckInterval().toMillis() / 1000.0))
                .withEnv("FOLLOW_DATABASE", Credentials.DATABASE)
                .withEnv("FOLLOW_RO_SUFFIX", PoolerConfig.RO_SUFFIX)
                .withCommand("pgbouncer-follow-leader");
        return pooler;
    }

    public int port() {
        return getMappedPort(PoolerConfig.PORT);
    }
}
