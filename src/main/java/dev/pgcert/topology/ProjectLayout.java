package dev.pgcert.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the project lives, decided once: {@code -Dpgcert.project.dir} (bin/pgcert passes its own
 * location), else the nearest directory at or above the working directory that holds a pom.xml and a
 * {@code topologies/} folder, else the working directory. Bare topology names ({@code topology:
 * three-node-async}) resolve against {@link #topologies()}, whatever directory the command ran from.
 */
public final class ProjectLayout {

    public static final String PROPERTY = "pgcert.project.dir";

    private ProjectLayout() {}

    public static Path root() {
        String configured = System.getProperty(PROPERTY, "").trim();
        if (!configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path workingDir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        return projectAbove(workingDir).orElse(workingDir);
    }

    /** The shipped topologies, looked up by bare name. */
    public static Path topologies() {
        return root().resolve("topologies");
    }

    /** Where runs leave their evidence: {@code target/pgcert-runs} of the project. */
    public static Path runs() {
        return root().resolve("target").resolve("pgcert-runs");
    }

    static Optional<Path> projectAbove(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("topologies"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
