package dev.pgcert.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pgcert.check.Category;
import dev.pgcert.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's {@code categories.json}, built from {@link Category}. Allure 2 reads it from
 * the results directory; allure-maven copies {@code categories.json} from the test classpath there
 * (src/test/resources/categories.json, kept equal to {@link #json()} by a unit test), and runs
 * outside Maven call {@link #writeTo(Path)}.
 */
public final class AllureCategories {

    public static final String FILE_NAME = "categories.json";

    private AllureCategories() {}

    public static String json() {
        List<Map<String, Object>> categories = Arrays.stream(Category.values()).map(c -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", c.label());
            entry.put("description", c.meaning());
            entry.put("messageRegex", messageRegex(c));
            entry.put("matchedStatuses", matchedStatuses());
            return entry;
        }).toList();
        try {
            return Json.PRETTY.writeValueAsString(categories) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise categories", e);
        }
    }

    /**
     * The Allure 2 message regex of a category. Allure matches it against the whole message with
     * DOTALL, so {@code (.*\n)?} lets the tag ({@link Category#tag()}) open any line; a message with no
     * verdict tag at all (a crash, a harness assertion, a {@code [harness]} line) is a harness error.
     */
    static String messageRegex(Category c) {
        if (c == Category.HARNESS_ERROR) {
            String verdictTags = Category.verdicts().stream().map(Category::label).collect(Collectors.joining("|"));
            return "(?!(.*\\n)?\\[(" + verdictTags + ")\\] ).*";
        }
        return "(.*\\n)?\\[" + c.label() + "\\] .*";
    }

    /**
     * Every category matches failed and broken tests: a failed test with no verdict tag (the
     * harness's own assertion) is as much a harness problem as a crash.
     */
    static List<String> matchedStatuses() {
        return List.of("failed", "broken");
    }

    /** Writes categories.json into an Allure results directory. */
    public static Path writeTo(Path resultsDir) {
        try {
            Files.createDirectories(resultsDir);
            return Files.writeString(resultsDir.resolve(FILE_NAME), json());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE_NAME + " to " + resultsDir, e);
        }
    }
}
