package dev.pgcert.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllureReportTest {

    @TempDir
    Path dir;

    @Test
    void aStepRunsItsBodyAndReportsHowLongItTook() {
        List<String> ran = new ArrayList<>();
        Duration took = AllureReport.step("sleep a little", () -> {
            ran.add("yes");
            Thread.sleep(30);
        });
        assertThat(ran).containsExactly("yes");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(AllureReport.step("produce", () -> 42)).isEqualTo(42);
    }

    @Test
    void aStepPassesItsBodysExceptionOnUnchanged() {
        assertThatThrownBy(() -> AllureReport.step("fail", () -> {
            throw new java.io.IOException("disk gone");
        })).isInstanceOf(java.io.IOException.class).hasMessage("disk gone");
    }

    @Test
    void zipsADirectoryTreeWithRelativeNames() throws Exception {
        Files.createDirectories(dir.resolve("js"));
        Files.writeString(dir.resolve("index.html"), "<html></html>");
        Files.writeString(dir.resolve("js/app.js"), "1");

        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(AllureReport.zip(dir)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) names.add(e.getName());
        }
        assertThat(names).containsExactly("index.html", "js/app.js");
    }

    @Test
    void zippingSomethingThatIsNotADirectoryFailsClearly() {
        assertThatThrownBy(() -> AllureReport.zip(dir.resolve("missing"))).hasMessageStartingWith("not a directory");
    }
}
