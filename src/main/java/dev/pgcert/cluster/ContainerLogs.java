package dev.pgcert.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every container's log as Docker has it now, one file per container. Read from Docker rather than
 * followed live: a container a fault killed and restarted keeps one log, but a live follower stops.
 */
final class ContainerLogs {
    private ContainerLogs() {}

    static void write(RunContainers containers, Path directory) throws IOException {
        Files.createDirectories(directory);
        for (RunContainers.Member m : containers.all()) {
            String log;
            try {
                log = m.container().getContainerId() == null ? "(never started)" : m.container().getLogs();
            } catch (RuntimeException e) {
                log = "(log unavailable: " + e.getMessage() + ")";
            }
            Files.writeString(directory.resolve(m.name() + ".log"), log);
        }
    }
}
