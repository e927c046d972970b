package dev.pgcert.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import org.testcontainers.DockerClientFactory;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Removes containers, networks and volumes of harness runs whose JVM is gone (killed with -9, or a
 * machine that lost power): their owner PID on this host no longer runs. Runs of other live JVMs
 * are left alone, so two runs on one machine do not destroy each other.
 */
public final class LeftoverSweeper {
    private static final Logger LOG = org.slf4j.LoggerFactory.getLogger(LeftoverSweeper.class);

    private final DockerClient docker;

    public LeftoverSweeper(DockerClient docker) {
        this.docker = docker;
    }

    public static LeftoverSweeper forLocalDocker() {
        return new LeftoverSweeper(DockerClientFactory.instance().client());
    }

    /** Sweeps the leftovers of dead runs; returns how many resources it removed. */
    public int sweepDeadRuns() {
        Map<String, String> filter = Map.of(HarnessLabels.HARNESS, "true");
        int removed = 0;
        List<Container> containers = docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
        for (Container c : containers) {
            if (isOrphan(c.getLabels())) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
            }
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(HarnessLabels.HARNESS + "=true")).exec()) {
            if (isOrphan(n.getLabels())) {
                docker.removeNetworkCmd(n.getId()).exec();
                removed++;
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(HarnessLabels.HARNESS + "=true")).exec().getVolumes();
        if (volumes != null) {
            for (var v : volumes) {
                if (isOrphan(v.getLabels())) {
                    docker.removeVolumeCmd(v.getName()).exec();
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("swept " + removed + " leftover container(s), network(s) and volume(s) of earlier runs that did not finish");
        }
        return removed;
    }

    /** Removes everything labelled with this run id, whatever state it is in. */
    public void removeRun(String runId) {
        Map<String, String> filter = Map.of(HarnessLabels.RUN_ID, runId);
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(HarnessLabels.RUN_ID + "=" + runId)).exec()) {
            docker.removeNetworkCmd(n.getId()).exec();
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(HarnessLabels.RUN_ID + "=" + runId)).exec().getVolumes();
        if (volumes != null) {
            volumes.forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
        }
    }

    static boolean isOrphan(Map<String, String> labels) {
        if (labels == null) {
            return false;
        }
        String host = labels.get(HarnessLabels.OWNER_HOST);
        if (host != null && !host.equals(HarnessLabels.hostName())) {
            return false; // another machine's run on a shared engine: not ours to judge
        }
        String pid = labels.get(HarnessLabels.OWNER_PID);
        if (pid == null) {
            return false; // no owner recorded: not ours to judge (removing it could break a live run)
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
