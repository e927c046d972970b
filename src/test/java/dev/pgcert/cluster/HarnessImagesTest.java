package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import dev.pgcert.topology.Stacks;
import dev.pgcert.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessImagesTest {

    @TempDir
    Path dir;

    @Test
    void hashFollowsContentAndBuildArgsButNotBytecodeCaches() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian\n");
        Files.createDirectories(dir.resolve("pkg"));
        Files.writeString(dir.resolve("pkg/server.py"), "print(1)\n");
        String first = HarnessImages.contentHash(dir, Map.of("BASE_IMAGE", "debian:bookworm-slim"));

        Files.createDirectories(dir.resolve("pkg/__pycache__"));
        Files.writeString(dir.resolve("pkg/__pycache__/server.cpython-311.pyc"), "bytecode");
        assertThat(HarnessImages.contentHash(dir, Map.of("BASE_IMAGE", "debian:bookworm-slim")))
                .isEqualTo(first)
                .hasSize(12);

        assertThat(HarnessImages.contentHash(dir, Map.of("BASE_IMAGE", "mirror/debian:bookworm-slim")))
                .isNotEqualTo(first);

        Files.writeString(dir.resolve("pkg/server.py"), "print(2)\n");
        assertThat(HarnessImages.contentHash(dir, Map.of("BASE_IMAGE", "debian:bookworm-slim")))
                .isNotEqualTo(first);
    }

    @Test
    void everyComponentAndTheToxiproxyServerHaveADockerfileWhereHarnessImagesLooks() {
        for (HarnessImages.Component c : HarnessImages.Component.values()) {
            assertThat(HarnessImages.dockerDir().resolve(c.directory()).resolve("Dockerfile")).isRegularFile();
        }
        assertThat(ToxiproxyImage.Settings.fromSystemProperties().compatDockerfileDir().resolve("Dockerfile")).isRegularFile();
    }

    @Test
    void aMissingDockerfileIsAClearErrorBeforeTheEngineIsAsked() {
        assertThatThrownBy(() -> HarnessImages.build("pgcert/nothing", dir, Map.of()))
                .isInstanceOf(HarnessImages.ImageUnavailableException.class)
                .hasMessageContaining("no Dockerfile at " + dir);
    }

    /** The tag names the stack, so two stacks' images never share a tag and docker images shows which is which. */
    @Test
    void theImageTagNamesTheStackAndDiffersBetweenStacks() {
        var bookworm = new HarnessImages(Topology.Images.forStack(Stacks.byName("bookworm").orElseThrow()));
        var trixie = new HarnessImages(Topology.Images.forStack(Stacks.byName("trixie").orElseThrow()));
        for (HarnessImages.Component c : HarnessImages.Component.values()) {
            String old = bookworm.localTag(c);
            String current = trixie.localTag(c);
            assertThat(old).matches("pgcert/" + c.directory() + ":bookworm-[0-9a-f]{12}");
            assertThat(current).matches("pgcert/" + c.directory() + ":trixie-[0-9a-f]{12}");
            assertThat(old.substring(old.indexOf('-') + 1)).isNotEqualTo(current.substring(current.indexOf('-') + 1));
        }
    }
}
