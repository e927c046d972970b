package dev.pgcert.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureCategoryTest {

    /** Allure 2 matches a category as Pattern.compile(regex, DOTALL).matcher(message).matches(). */
    private static boolean allureMatches(FailureCategory c, String message) {
        return Pattern.compile(c.messageRegex(), Pattern.DOTALL).matcher(message).matches();
    }

    @Test
    void aTaggedLineFilesTheMessageUnderItsCategoryWhereverTheLineIs() {
        String message = "[slow failover] failover_time.client: measured 41 s, limit < 30 s\n"
                + "[data loss] lost_writes: measured 3 writes, limit = 0 writes";

        assertThat(allureMatches(FailureCategory.SLOW_FAILOVER, message)).isTrue();
        assertThat(allureMatches(FailureCategory.DATA_LOSS, message)).isTrue();
        assertThat(allureMatches(FailureCategory.SPLIT_BRAIN, message)).isFalse();
        assertThat(allureMatches(FailureCategory.HARNESS, message)).isFalse();
    }

    @Test
    void aMentionInsideALineIsNotATag() {
        assertThat(allureMatches(FailureCategory.DATA_LOSS, "checked for [data loss] and found none")).isFalse();
    }

    @Test
    void untaggedOrHarnessTaggedMessagesAreHarnessErrors() {
        assertThat(allureMatches(FailureCategory.HARNESS, "Container startup failed for image pgcert-dev/patroni")).isTrue();
        assertThat(allureMatches(FailureCategory.HARNESS, "[harness] etcd did not become healthy in 30 s")).isTrue();
        assertThat(allureMatches(FailureCategory.HARNESS, "expected: 3 but was: 2")).isTrue();
        assertThat(FailureCategory.HARNESS.matchedStatuses()).containsExactly("failed", "broken");
    }

    @Test
    void titlesMapBackToCategories() {
        assertThat(FailureCategory.byTitle("slow failover")).isEqualTo(FailureCategory.SLOW_FAILOVER);
        assertThat(FailureCategory.byTitle("harness or infrastructure error")).isEqualTo(FailureCategory.HARNESS);
        assertThatThrownBy(() -> FailureCategory.byTitle("flaky")).hasMessageContaining("no report category");
    }

    @Test
    void everyCategoryTheBriefNamesExists() {
        assertThat(List.of(FailureCategory.values())).extracting(FailureCategory::title).containsExactly(
                "data loss", "split brain", "slow failover", "replica lag", "read offload", "invariant",
                "harness or infrastructure error");
    }

    @Test
    void theCategoriesFileOnTheTestClasspathIsTheGeneratedOne() throws Exception {
        // allure-maven copies src/test/resources/categories.json into the results; it must not drift from the enum.
        Path resource = Path.of("src/test/resources", AllureCategories.FILE_NAME);
        assertThat(Files.readString(resource))
                .as("regenerate with: AllureCategories.writeTo(Path.of(\"src/test/resources\"))")
                .isEqualTo(AllureCategories.json());
    }
}
