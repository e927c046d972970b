package dev.pgcert.report;

import dev.pgcert.history.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TimelinePlotTest {

    @TempDir
    Path dir;

    @Test
    void rendersAFailoverRunAsALargeMultiColouredPng() throws Exception {
        Path png = TimelinePlot.titled("pg-kill-primary: synthetic run")
                .render(History.of(SyntheticHistory.failoverRun()), dir.resolve("plots/timeline.png"));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(TimelinePlot.DEFAULT_WIDTH);
        assertThat(image.getHeight()).isEqualTo(TimelinePlot.DEFAULT_HEIGHT);
        assertThat(Files.size(png)).as("PNG size in bytes").isGreaterThan(50_000);
        assertThat(distinctColours(image)).as("distinct colours: panels, series, shading").isGreaterThan(200);
        Path keep = Path.of("target/timeline-sample.png"); // kept for eyeballing
        Files.createDirectories(keep.getParent());
        Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void honoursARequestedSize() throws Exception {
        Path png = TimelinePlot.titled("small").size(800, 900)
                .render(History.of(SyntheticHistory.failoverRun()), dir.resolve("small.png"));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(900);
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) colours.add(image.getRGB(x, y));
        }
        return colours.size();
    }
}
