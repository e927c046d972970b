package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import org.testcontainers.utility.DockerImageName;

/** Placeholder until dev.pgcert.fault.toxiproxy.ToxiproxyImage lands: the configured image as is. */
final class ToxiproxyImages {
    private ToxiproxyImages() {}

    static DockerImageName resolve(Topology.Images images) {
        return DockerImageName.parse(images.toxiproxyImage());
    }
}
