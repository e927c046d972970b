package dev.pgcert.fault.toxiproxy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/** Asks the Docker engine whether an image is present, and tries to pull one. */
final class DockerImages {

    private static final Logger LOG = LoggerFactory.getLogger(DockerImages.class);

    private DockerImages() {
    }

    static boolean isPresent(String image) {
        try {
            client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException absent) {
            return false;
        }
    }

    /**
     * Pulls {@code image}; false if the pull fails or does not finish within {@code timeout}.
     * Without a reachable registry the engine fails within a fraction of a second (no DNS),
     * so the timeout only matters on a slow but working network.
     */
    static boolean tryPull(String image, Duration timeout) {
        DockerImageName name = DockerImageName.parse(image);
        try {
            boolean finished = client().pullImageCmd(name.getUnversionedPart())
                    .withTag(name.getVersionPart())
                    .exec(new PullImageResultCallback())
                    .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                LOG.info("Pulling {} did not finish within {}", image, timeout);
                return false;
            }
            return isPresent(image);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException failed) {
            LOG.info("Cannot pull {}: {}", image, failed.getMessage());
            return false;
        }
    }

    private static DockerClient client() {
        return DockerClientFactory.instance().client();
    }
}
