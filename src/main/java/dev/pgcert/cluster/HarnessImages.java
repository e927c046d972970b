package dev.pgcert.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.pgcert.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The harness's one way to get an image. Every image a run or a test starts comes from here:
 * built from a Dockerfile directory (by default {@code src/main/docker/<component>}) on the
 * topology's stack (its base image and PostgreSQL major are build arguments) and tagged
 * {@code <stack>-<hash>}, the hash over that directory's files and the build arguments, so an
 * unchanged image is reused across runs, any edit gives a new tag instead of a stale image, and
 * {@code docker images} shows which stack an image belongs to. A team with its own mirror
 * sets {@code images.registry} and the cluster images are pulled from there instead. Toxiproxy is
 * chosen by {@link ToxiproxyImage} (upstream if present, else built here).
 */
public final class HarnessImages {
    private static final Logger LOG = LoggerFactory.getLogger(HarnessImages.class);
    private static final int TAG_HEX_CHARS = 12;

    /** The cluster's components, each built from {@code src/main/docker/<name>}. */
    public enum Component {
        PATRONI, ETCD, PGBOUNCER, HAPROXY;

        String directory() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Topology.Images config;
    private final Path dockerDir;

    public HarnessImages(Topology.Images config) {
        this(config, dockerDir());
    }

    HarnessImages(Topology.Images config, Path dockerDir) {
        this.config = config;
        this.dockerDir = dockerDir;
    }

    /** The project's directory: {@code -Dpgcert.project.dir}, else the working directory (Maven runs tests there). */
    public static Path projectDir() {
        return Path.of(System.getProperty("pgcert.project.dir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** Where the harness's Dockerfiles live: {@code src/main/docker} under the project directory. */
    public static Path dockerDir() {
        return projectDir().resolve("src/main/docker");
    }

    /** Every cluster image of the topology, built or pulled now; fails with one clear message if one cannot be had. */
    public Map<Component, String> resolveAll() {
        Map<Component, String> images = new LinkedHashMap<>();
        for (Component c : Component.values()) {
            images.put(c, resolve(c));
        }
        return images;
    }

    public String resolve(Component component) {
        return config.registry().isPresent() ? pullFromRegistry(component) : buildLocally(component);
    }

    /** The Toxiproxy image for this topology, ready for {@code new ToxiproxyContainer(...)}. */
    public DockerImageName toxiproxy() {
        return ToxiproxyImage.resolve(ToxiproxyImage.Settings.fromSystemProperties()
                .withUpstreamImage(config.toxiproxyImage())
                .withBaseImage(config.baseImage())
                .withCompatDockerfileDir(dockerDir.resolve("toxiproxy"))).imageName();
    }

    private String pullFromRegistry(Component component) {
        String name = config.registry().get() + "/pgcert-" + component.directory() + ":" + versionTag(component);
        if (exists(name)) {
            return name;
        }
        try {
            client().pullImageCmd(name).start().awaitCompletion(10, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            throw new ImageUnavailableException("image " + name + " (images.registry) cannot be pulled: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageUnavailableException("interrupted while pulling " + name);
        }
        return name;
    }

    private String buildLocally(Component component) {
        return build("pgcert/" + component.directory(), config.stack().name(), dockerDir.resolve(component.directory()),
                buildArgs(component));
    }

    /** The tag {@link #resolve} gives {@code component} when it builds it: {@code pgcert/<component>:<stack>-<hash>}. */
    String localTag(Component component) {
        return tag("pgcert/" + component.directory(), config.stack().name(), dockerDir.resolve(component.directory()),
                buildArgs(component));
    }

    static String tag(String repository, String tagPrefix, Path contextDir, Map<String, String> buildArgs) {
        return repository + ":" + (tagPrefix.isEmpty() ? "" : tagPrefix + "-") + contentHash(contextDir, buildArgs);
    }

    /** {@link #build(String, String, Path, Map)} with no prefix: the tag is the content hash alone. */
    public static String build(String repository, Path contextDir, Map<String, String> buildArgs) {
        return build(repository, "", contextDir, buildArgs);
    }

    /**
     * Builds {@code repository:[<tagPrefix>-]<content hash>} from the Dockerfile in {@code contextDir} unless that tag
     * exists already, and returns the tag. The Dockerfile's {@code FROM ${BASE_IMAGE}} must be on the
     * engine (bin/setup-docker-host seeds it); nothing is pulled for it.
     */
    public static String build(String repository, String tagPrefix, Path contextDir, Map<String, String> buildArgs) {
        if (!Files.isRegularFile(contextDir.resolve("Dockerfile"))) {
            throw new ImageUnavailableException("no Dockerfile at " + contextDir.toAbsolutePath()
                    + " (run from the project directory or set -Dpgcert.project.dir)");
        }
        String tag = tag(repository, tagPrefix, contextDir, buildArgs);
        if (exists(tag)) {
            LOG.debug("reusing image {}", tag);
            return tag;
        }
        String base = buildArgs.get("BASE_IMAGE");
        if (base != null && !exists(base)) {
            throw new ImageUnavailableException("base image " + base + " (images.base) is not on this Docker engine;"
                    + " run bin/setup-docker-host, which pulls it or builds it from Debian packages");
        }
        LOG.info("building image {} from {} on {} (first run only; later runs reuse it)", tag, contextDir,
                base == null ? "its Dockerfile's base" : base);
        long start = System.nanoTime();
        try {
            new ImageFromDockerfile(tag, false).withFileFromPath(".", contextDir).withBuildArgs(buildArgs).get();
        } catch (RuntimeException e) {
            throw new ImageUnavailableException("building " + tag + " from " + contextDir + "/Dockerfile failed: " + rootMessage(e));
        }
        LOG.info("built image {} in {} s", tag, (System.nanoTime() - start) / 1_000_000_000);
        return tag;
    }

    private Map<String, String> buildArgs(Component component) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("BASE_IMAGE", config.baseImage());
        switch (component) {
            case PATRONI -> {
                args.put("PG_MAJOR", config.postgresMajor());
                config.patroniVersion().ifPresent(v -> args.put("PATRONI_VERSION", v));
            }
            case ETCD -> config.etcdVersion().ifPresent(v -> args.put("ETCD_VERSION", v));
            case PGBOUNCER -> config.pgbouncerVersion().ifPresent(v -> args.put("PGBOUNCER_VERSION", v));
            case HAPROXY -> config.haproxyVersion().ifPresent(v -> args.put("HAPROXY_VERSION", v));
        }
        return args;
    }

    private String versionTag(Component component) {
        return config.stack().name() + "-" + switch (component) {
            case PATRONI -> "pg" + config.postgresMajor() + config.patroniVersion().map(v -> "-patroni" + v).orElse("");
            case ETCD -> config.etcdVersion().orElse("debian");
            case PGBOUNCER -> config.pgbouncerVersion().orElse("debian");
            case HAPROXY -> config.haproxyVersion().orElse("debian");
        };
    }

    /** Whether the engine holds {@code image} (nothing is pulled). */
    static boolean exists(String image) {
        try {
            client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Pulls {@code image}; false if the pull fails or does not finish within {@code timeout}. Without a
     * reachable registry the engine fails within a fraction of a second (no DNS), so the timeout only
     * matters on a slow but working network.
     */
    static boolean tryPull(String image, Duration timeout) {
        DockerImageName name = DockerImageName.parse(image);
        try {
            boolean finished = client().pullImageCmd(name.getUnversionedPart())
                    .withTag(name.getVersionPart())
                    .exec(new PullImageResultCallback())
                    .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                LOG.info("pulling {} did not finish within {}", image, timeout);
                return false;
            }
            return exists(image);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.info("cannot pull {}: {}", image, e.getMessage());
            return false;
        }
    }

    /**
     * SHA-256 over the context's files (relative path and bytes, in path order) and the build
     * arguments, as 12 hex digits. Python byte-code caches are skipped: a .dockerignore keeps them out
     * of the build too, and they appear whenever the sources are run outside Docker.
     */
    static String contentHash(Path contextDir, Map<String, String> buildArgs) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(contextDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(path -> !isBytecode(contextDir.relativize(path)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build context " + contextDir, e);
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(contextDir.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            new TreeMap<>(buildArgs).forEach((key, value) ->
                    digest.update((key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, TAG_HEX_CHARS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build context " + contextDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    private static boolean isBytecode(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("__pycache__")) {
                return true;
            }
        }
        return relative.toString().endsWith(".pyc");
    }

    private static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public static final class ImageUnavailableException extends RuntimeException {
        public ImageUnavailableException(String message) {
            super(message);
        }
    }
}
