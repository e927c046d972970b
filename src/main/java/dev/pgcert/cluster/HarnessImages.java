package dev.pgcert.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.pgcert.topology.Topology;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Resolves the images a topology needs before any container starts. By default each image is built
 * from the Dockerfile in {@code src/main/docker/<component>} and tagged with a hash of the Dockerfile
 * and its build arguments, so a second run reuses it without building. A team with its own mirror
 * sets {@code images.registry} and the images are pulled from there instead.
 */
public final class HarnessImages {
    private static final Logger LOG = Logger.getLogger(HarnessImages.class.getName());

    public enum Component { PATRONI, ETCD, PGBOUNCER, HAPROXY }

    private final Topology.Images config;
    private final Path dockerDir;
    private final DockerClient docker;

    public HarnessImages(Topology.Images config) {
        this(config, projectDir().resolve("src/main/docker"), DockerClientFactory.instance().client());
    }

    HarnessImages(Topology.Images config, Path dockerDir, DockerClient docker) {
        this.config = config;
        this.dockerDir = dockerDir;
        this.docker = docker;
    }

    /** The project's directory: {@code -Dpgcert.project.dir}, else the working directory (Maven runs tests there). */
    public static Path projectDir() {
        return Path.of(System.getProperty("pgcert.project.dir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** Every image of the topology, built or pulled now; fails with one clear message if one cannot be had. */
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

    private String pullFromRegistry(Component component) {
        String name = config.registry().get() + "/pgcert-" + component.name().toLowerCase() + ":" + versionTag(component);
        if (exists(name)) {
            return name;
        }
        try {
            docker.pullImageCmd(name).start().awaitCompletion(10, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            throw new ImageUnavailableException("image " + name + " (images.registry) cannot be pulled: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageUnavailableException("interrupted while pulling " + name);
        }
        return name;
    }

    private String buildLocally(Component component) {
        Path dir = dockerDir.resolve(component.name().toLowerCase());
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new ImageUnavailableException("no Dockerfile at " + dir + " (set -Dpgcert.project.dir to the project directory)");
        }
        Map<String, String> args = buildArgs(component);
        String name = "pgcert/" + component.name().toLowerCase() + ":" + contentHash(dir, args);
        if (exists(name)) {
            return name;
        }
        requireBaseImage();
        LOG.info("building image " + name + " from " + dir + " (first run only; later runs reuse it)");
        try {
            new ImageFromDockerfile(name, false).withFileFromPath(".", dir).withBuildArgs(args).get();
        } catch (RuntimeException e) {
            throw new ImageUnavailableException("building " + name + " from " + dir + "/Dockerfile failed: " + rootMessage(e));
        }
        return name;
    }

    private void requireBaseImage() {
        if (!exists(config.baseImage())) {
            throw new ImageUnavailableException("base image " + config.baseImage() + " (images.base) is not on this Docker engine;"
                    + " run bin/setup-docker-host, which pulls it or builds it from Debian packages");
        }
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
        return switch (component) {
            case PATRONI -> "pg" + config.postgresMajor() + config.patroniVersion().map(v -> "-patroni" + v).orElse("");
            case ETCD -> config.etcdVersion().orElse("debian");
            case PGBOUNCER -> config.pgbouncerVersion().orElse("debian");
            case HAPROXY -> config.haproxyVersion().orElse("debian");
        };
    }

    private boolean exists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static String contentHash(Path dir, Map<String, String> args) {
        try (var files = Files.walk(dir)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            digest.update(args.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
