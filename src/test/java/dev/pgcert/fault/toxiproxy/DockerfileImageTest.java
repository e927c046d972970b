package dev.pgcert.fault.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileImageTest {

    @TempDir
    Path dir;

    @Test
    void hashFollowsContentAndBuildArgsButNotBytecodeCaches() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian\n");
        Files.createDirectories(dir.resolve("pkg"));
        Files.writeString(dir.resolve("pkg/server.py"), "print(1)\n");
        String first = DockerfileImage.contentHash(dir, Map.of("BASE_IMAGE", "debian:bookworm-slim"));

        Files.createDirectories(dir.resolve("pkg/__pycache__"));
        Files.writeString(dir.resolve("pkg/__pycache__/server.cpython-311.pyc"), "bytecode");
        assertThat(DockerfileImage.contentHash(dir, Map.of("BASE_IMAGE", "debian:bookworm-slim")))
                .isEqualTo(first)
                .hasSize(12);

        assertThat(DockerfileImage.contentHash(dir, Map.of("BASE_IMAGE", "mirror/debian:bookworm-slim")))
                .isNotEqualTo(first);

        Files.writeString(dir.resolve("pkg/server.py"), "print(2)\n");
        assertThat(DockerfileImage.contentHash(dir, Map.of("BASE_IMAGE", "debian:bookworm-slim")))
                .isNotEqualTo(first);
    }

    @Test
    void compatServerSourcesAreWhereToxiproxyImageLooks() {
        Path projectDir = Path.of(System.getProperty("pgcert.project.dir", System.getProperty("user.dir")));
        assertThat(projectDir.resolve(ToxiproxyImage.COMPAT_DOCKERFILE_DIR).resolve("Dockerfile")).isRegularFile();
    }
}
