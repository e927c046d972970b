package dev.pgcert.cluster;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A PostgreSQL + Patroni node. Its data (and optionally WAL) directory lives on a named volume of the run. */
public final class PatroniNodeContainer extends HarnessContainer<PatroniNodeContainer> {

    public PatroniNodeContainer(String image, String name, String patroniYaml, String dataVolume, String walVolume,
                                String runId, Network network) {
        super(image, name, runId, network);
        withCopyToContainer(Transferable.of(patroniYaml, 0644), "/etc/patroni/patroni.yml");
        withExposedPorts(PatroniConfig.PG_PORT, PatroniConfig.REST_PORT);
        withCreateContainerCmdModifier(cmd -> {
            List<Bind> binds = new ArrayList<>();
            binds.add(new Bind(dataVolume, new Volume(PatroniConfig.DATA_MOUNT)));
            if (walVolume != null) {
                binds.add(new Bind(walVolume, new Volume(PatroniConfig.WAL_MOUNT)));
            }
            cmd.getHostConfig().withBinds(binds)
                    // iptables partitions and traffic shaping run inside the node's own network namespace.
                    .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN);
        });
    }

    /**
     * Mounts the backup repositories' volumes (volume name to mount point) and pgBackRest's configuration:
     * the repositories are volumes of their own, shared by every node, that outlive the nodes' data.
     */
    PatroniNodeContainer withBackupRepositories(Map<String, String> volumes, String pgbackrestConf) {
        withCopyToContainer(Transferable.of(pgbackrestConf, 0644), "/etc/pgbackrest/pgbackrest.conf");
        withCreateContainerCmdModifier(cmd -> {
            List<Bind> binds = new ArrayList<>(List.of(cmd.getHostConfig().getBinds()));
            volumes.forEach((volume, mount) -> binds.add(new Bind(volume, new Volume(mount))));
            cmd.getHostConfig().withBinds(binds);
        });
        return this;
    }

    public int postgresPort() {
        return getMappedPort(PatroniConfig.PG_PORT);
    }

    public int restPort() {
        return getMappedPort(PatroniConfig.REST_PORT);
    }

    /** Mount point of the data volume inside the container (PGDATA is {@link #pgdata()} below it). */
    public static String dataMount() {
        return PatroniConfig.DATA_MOUNT;
    }

    /** Mount point of the separate pg_wal volume, when the topology gives the node one. */
    public static String walMount() {
        return PatroniConfig.WAL_MOUNT;
    }

    /** PostgreSQL's Unix socket directory; {@code local all all trust} lets psql in the container connect. */
    public static String socketDirectory() {
        return PatroniConfig.SOCKET_DIR;
    }

    public static String pgdata() {
        return PatroniConfig.DATA_MOUNT + "/pgdata";
    }
}
