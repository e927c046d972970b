package dev.pgcert.cluster;

import dev.pgcert.fault.toxiproxy.ToxiproxyImage;
import dev.pgcert.topology.Topology;
import org.testcontainers.utility.DockerImageName;

/** The Toxiproxy image for a topology: upstream's if this engine has it or can pull it, else the project's compatible build. */
final class ToxiproxyImages {
    private ToxiproxyImages() {}

    static DockerImageName resolve(Topology.Images images) {
        return ToxiproxyImage.resolve(ToxiproxyImage.Settings.fromSystemProperties()
                .withUpstreamImage(images.toxiproxyImage())
                .withBaseImage(images.baseImage())).imageName();
    }
}
