package dev.pgcert.cluster;

import com.github.dockerjava.api.DockerClient;

import java.util.Map;
import java.util.Optional;

/**
 * The named Docker volumes of a run (a node's data and WAL directories), labelled so that teardown
 * and the sweeper remove them with the run.
 */
final class RunVolumes {
    private final DockerClient docker;
    private final String runId;

    RunVolumes(DockerClient docker, String runId) {
        this.docker = docker;
        this.runId = runId;
    }

    /** Creates a volume; a size limit makes it a tmpfs of that size (so disk-pressure faults can fill it). */
    String create(String suffix, Optional<Long> sizeBytes) {
        String name = "pgcert-" + runId + "-" + suffix;
        var cmd = docker.createVolumeCmd().withName(name).withLabels(HarnessLabels.forRun(runId)).withDriver("local");
        sizeBytes.ifPresent(size -> cmd.withDriverOpts(Map.of(
                "type", "tmpfs", "device", "tmpfs", "o", "size=" + size + ",mode=1777")));
        cmd.exec();
        return name;
    }

    /** Removes a volume of the run; one still in use or already gone is left to the end-of-run sweep. */
    void remove(String name) {
        try {
            docker.removeVolumeCmd(name).exec();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RunVolumes.class).debug("volume {} not removed now: {}", name, e.getMessage());
        }
    }
}
