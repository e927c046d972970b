package dev.pgcert.cluster;

import dev.pgcert.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * Picks the Toxiproxy image for {@code org.testcontainers.toxiproxy.ToxiproxyContainer}.
 *
 * <p>The upstream image is preferred: if it is present locally or can be pulled, it is used.
 * Otherwise (no registry, as on an air-gapped machine) the harness builds its own
 * Toxiproxy-compatible server from {@code src/main/docker/toxiproxy} (see docs/toxiproxy.md) with
 * {@link HarnessImages#build}, and marks it a compatible substitute, so the Testcontainers module
 * accepts it. A run gets it through {@link HarnessImages#toxiproxy()}.
 *
 * <p>System properties (read by {@link Settings#fromSystemProperties()}):
 * <ul>
 *   <li>{@code pgcert.toxiproxy.image}: the upstream image, default the topology default (ghcr.io/shopify/toxiproxy:2.12.0)
 *   <li>{@code pgcert.toxiproxy.mode}: {@code auto} (default), {@code upstream} (fail without it)
 *       or {@code compat} (always the built server)
 *   <li>{@code pgcert.toxiproxy.pullTimeout}: ISO-8601 duration for a pull attempt, default PT2M
 *   <li>{@code pgcert.toxiproxy.baseImage}: FROM of the built server, default debian:bookworm-slim
 *   <li>{@code pgcert.project.dir}: the project directory, default the working directory
 * </ul>
 */
public final class ToxiproxyImage {

    public static final String DEFAULT_UPSTREAM_IMAGE = Topology.Images.defaults().toxiproxyImage();
    /** What ToxiproxyContainer checks images against. */
    public static final String UPSTREAM_REPOSITORY = "ghcr.io/shopify/toxiproxy";
    public static final String COMPAT_REPOSITORY = "pgcert/toxiproxy-compat";
    public static final String DEFAULT_BASE_IMAGE = Topology.Images.defaults().baseImage();

    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyImage.class);
    /** Checking, pulling or building is slow: do it once per JVM for each setting. */
    private static final Map<Settings, Resolved> RESOLVED = new ConcurrentHashMap<>();

    private ToxiproxyImage() {
    }

    /** How to choose. */
    public enum Mode {
        /** the upstream image if present or pullable, else the built compatible server */
        AUTO,
        /** the upstream image only; fail if it cannot be had */
        UPSTREAM,
        /** the built compatible server, even if the upstream image is there */
        COMPAT
    }

    /** Which server the chosen image runs. */
    public enum Kind { UPSTREAM, COMPAT }

    /** The chosen image, ready to pass to {@code new ToxiproxyContainer(imageName)}. */
    public record Resolved(DockerImageName imageName, Kind kind) {
    }

    /** What {@link #resolve(Settings)} needs; build one with {@link #fromSystemProperties()}. */
    public record Settings(String upstreamImage, Mode mode, Path compatDockerfileDir, String baseImage,
                           Duration pullTimeout) {

        public Settings {
            Objects.requireNonNull(upstreamImage, "upstreamImage");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(compatDockerfileDir, "compatDockerfileDir");
            Objects.requireNonNull(baseImage, "baseImage");
            Objects.requireNonNull(pullTimeout, "pullTimeout");
        }

        public static Settings fromSystemProperties() {
            return new Settings(
                    System.getProperty("pgcert.toxiproxy.image", DEFAULT_UPSTREAM_IMAGE),
                    Mode.valueOf(System.getProperty("pgcert.toxiproxy.mode", "auto").toUpperCase(Locale.ROOT)),
                    HarnessImages.dockerDir().resolve("toxiproxy"),
                    System.getProperty("pgcert.toxiproxy.baseImage", DEFAULT_BASE_IMAGE),
                    Duration.parse(System.getProperty("pgcert.toxiproxy.pullTimeout", "PT2M")));
        }

        /** For a topology that names its own upstream image (Topology.Images#toxiproxyImage). */
        public Settings withUpstreamImage(String image) {
            return new Settings(image, mode, compatDockerfileDir, baseImage, pullTimeout);
        }

        /** For a topology that names its own base image (Topology.Images#baseImage). */
        public Settings withBaseImage(String image) {
            return new Settings(upstreamImage, mode, compatDockerfileDir, image, pullTimeout);
        }

        /** For a project whose Dockerfiles are elsewhere (HarnessImages' directory). */
        public Settings withCompatDockerfileDir(Path dir) {
            return new Settings(upstreamImage, mode, dir, baseImage, pullTimeout);
        }

        public Settings withMode(Mode newMode) {
            return new Settings(upstreamImage, newMode, compatDockerfileDir, baseImage, pullTimeout);
        }
    }

    /** Resolves with {@link Settings#fromSystemProperties()}. */
    public static Resolved resolve() {
        return resolve(Settings.fromSystemProperties());
    }

    public static Resolved resolve(Settings settings) {
        return RESOLVED.computeIfAbsent(settings, ToxiproxyImage::choose);
    }

    private static Resolved choose(Settings settings) {
        if (settings.mode() != Mode.COMPAT && upstreamAvailable(settings)) {
            LOG.info("Toxiproxy: using the upstream image {}", settings.upstreamImage());
            return new Resolved(compatible(settings.upstreamImage()), Kind.UPSTREAM);
        }
        if (settings.mode() == Mode.UPSTREAM) {
            throw new IllegalStateException("Toxiproxy image " + settings.upstreamImage()
                    + " is not present and cannot be pulled (pgcert.toxiproxy.mode=upstream)");
        }
        String tag = buildCompat(settings);
        LOG.info("Toxiproxy: using the built Toxiproxy-compatible server {}{}", tag,
                settings.mode() == Mode.COMPAT ? " (pgcert.toxiproxy.mode=compat)"
                        : " (" + settings.upstreamImage() + " is not present and cannot be pulled)");
        return new Resolved(compatible(tag), Kind.COMPAT);
    }

    private static boolean upstreamAvailable(Settings settings) {
        String image = settings.upstreamImage();
        if (HarnessImages.exists(image)) {
            return true;
        }
        LOG.info("Toxiproxy image {} is not present locally; trying to pull it", image);
        return HarnessImages.tryPull(image, settings.pullTimeout());
    }

    private static String buildCompat(Settings settings) {
        return HarnessImages.build(COMPAT_REPOSITORY, settings.compatDockerfileDir(),
                Map.of("BASE_IMAGE", settings.baseImage()));
    }

    /** A mirror's or our own image passes ToxiproxyContainer's image check. */
    private static DockerImageName compatible(String image) {
        return DockerImageName.parse(image).asCompatibleSubstituteFor(UPSTREAM_REPOSITORY);
    }
}
