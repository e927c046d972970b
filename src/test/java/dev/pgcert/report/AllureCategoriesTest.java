package dev.pgcert.report;

import dev.pgcert.check.Category;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllureCategoriesTest {

    /** Allure 2 matches a category as Pattern.compile(regex, DOTALL).matcher(message).matches(). */
    private static boolean allureMatches(Category c, String message) {
        return Pattern.compile(AllureCategories.messageRegex(c), Pattern.DOTALL).matcher(message).matches();
    }

    @Test
    void aTaggedLineFilesTheMessageUnderItsCategoryWhereverTheLineIs() {
        String message = "[slow failover] failover_time.client: measured 41 s, limit < 30 s\n"
                + "[data loss] lost_writes: measured 3 writes, limit = 0 writes";

        assertThat(allureMatches(Category.SLOW_FAILOVER, message)).isTrue();
        assertThat(allureMatches(Category.DATA_LOSS, message)).isTrue();
        assertThat(allureMatches(Category.SPLIT_BRAIN, message)).isFalse();
        assertThat(allureMatches(Category.HARNESS_ERROR, message)).isFalse();
    }

    @Test
    void aMentionInsideALineIsNotATag() {
        assertThat(allureMatches(Category.DATA_LOSS, "checked for [data loss] and found none")).isFalse();
    }

    @Test
    void untaggedOrHarnessTaggedMessagesAreHarnessErrors() {
        assertThat(allureMatches(Category.HARNESS_ERROR, "Container startup failed for image pgcert-dev/patroni")).isTrue();
        assertThat(allureMatches(Category.HARNESS_ERROR, "[harness] etcd did not become healthy in 30 s")).isTrue();
        assertThat(allureMatches(Category.HARNESS_ERROR, "expected: 3 but was: 2")).isTrue();
        assertThat(AllureCategories.matchedStatuses()).containsExactly("failed", "broken");
    }

    @Test
    void aFailureLineCarriesItsCategorysTagAndIsFiledUnderIt() {
        String line = Category.REPLICA_LAG.message("replica_lag.max_bytes = 55 MB (limit < 16MB)");
        assertThat(line).startsWith("[replica lag] ");
        assertThat(allureMatches(Category.REPLICA_LAG, line)).isTrue();
        assertThat(allureMatches(Category.HARNESS_ERROR, Category.HARNESS_ERROR.message("no leader"))).isTrue();
        assertThat(allureMatches(Category.HARNESS_ERROR, line)).isFalse();
    }

    @Test
    void titlesMapBackToCategories() {
        assertThat(Category.byLabel("slow failover")).isEqualTo(Category.SLOW_FAILOVER);
        assertThat(Category.byLabel("harness or infrastructure error")).isEqualTo(Category.HARNESS_ERROR);
        assertThatThrownBy(() -> Category.byLabel("flaky")).hasMessageContaining("no failure category");
    }

    @Test
    void everyCategoryTheBriefNamesExists() {
        assertThat(List.of(Category.values())).extracting(Category::label).containsExactly(
                "data loss", "split brain", "slow failover", "replica lag", "read offload", "backup", "isolation", "roles", "invariant",
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
