package dev.pgcert.fault.toxiproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds an image from a Dockerfile once per content: the tag is a hash of the build context
 * and the build arguments, so an unchanged image is reused across runs (and survives the
 * JVM: deleteOnExit is off), and any edit gives a new tag instead of a stale image.
 */
public final class DockerfileImage {

    private static final Logger LOG = LoggerFactory.getLogger(DockerfileImage.class);
    private static final int TAG_HEX_CHARS = 12;

    private DockerfileImage() {
    }

    /**
     * Builds {@code repository:<hash>} from the Dockerfile in {@code contextDir}, unless that tag
     * exists already; returns the tag.
     */
    public static String ensureBuilt(String repository, Path contextDir, Map<String, String> buildArgs) {
        Path dockerfile = contextDir.resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            throw new IllegalStateException("No Dockerfile at " + dockerfile.toAbsolutePath());
        }
        String tag = repository + ":" + contentHash(contextDir, buildArgs);
        return buildIfAbsent(tag, () -> new ImageFromDockerfile(tag, false)
                .withDockerfile(dockerfile)
                .withBuildArgs(buildArgs));
    }

    /** Same, for an image whose whole build context is one Dockerfile given as text. */
    public static String ensureBuilt(String repository, String dockerfileText, Map<String, String> buildArgs) {
        String tag = repository + ":" + hash(digest -> {
            digest.update(dockerfileText.getBytes(StandardCharsets.UTF_8));
            updateWithArgs(digest, buildArgs);
        });
        return buildIfAbsent(tag, () -> new ImageFromDockerfile(tag, false)
                .withFileFromString("Dockerfile", dockerfileText)
                .withBuildArgs(buildArgs));
    }

    private static String buildIfAbsent(String tag, java.util.function.Supplier<ImageFromDockerfile> build) {
        if (DockerImages.isPresent(tag)) {
            LOG.info("Reusing image {}", tag);
            return tag;
        }
        LOG.info("Building image {}", tag);
        long start = System.nanoTime();
        build.get().get();
        LOG.info("Built image {} in {} ms", tag, (System.nanoTime() - start) / 1_000_000);
        return tag;
    }

    /**
     * SHA-256 over the context's files (relative path and bytes, in path order) and the build
     * arguments. Python byte-code caches are skipped: the Dockerfile's .dockerignore keeps them
     * out of the build too, and they appear whenever the sources are run outside Docker.
     */
    static String contentHash(Path contextDir, Map<String, String> buildArgs) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(contextDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(path -> !isBytecode(contextDir.relativize(path)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read build context " + contextDir, e);
        }
        return hash(digest -> {
            for (Path file : files) {
                String relative = contextDir.relativize(file).toString().replace('\\', '/');
                digest.update(relative.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file, e);
                }
                digest.update((byte) 0);
            }
            updateWithArgs(digest, buildArgs);
        });
    }

    private static boolean isBytecode(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals("__pycache__")) {
                return true;
            }
        }
        return relative.toString().endsWith(".pyc");
    }

    private static void updateWithArgs(MessageDigest digest, Map<String, String> buildArgs) {
        new TreeMap<>(buildArgs).forEach((key, value) ->
                digest.update((key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static String hash(java.util.function.Consumer<MessageDigest> content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            content.accept(digest);
            return HexFormat.of().formatHex(digest.digest()).substring(0, TAG_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }
}
