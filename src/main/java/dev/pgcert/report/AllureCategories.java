package dev.pgcert.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's {@code categories.json}, built from {@link FailureCategory}. Allure 2 reads it from
 * the results directory; allure-maven copies {@code categories.json} from the test classpath there
 * (src/test/resources/categories.json, kept equal to {@link #json()} by a unit test), and runs
 * outside Maven call {@link #writeTo(Path)}.
 */
public final class AllureCategories {

    public static final String FILE_NAME = "categories.json";

    private AllureCategories() {}

    public static String json() {
        List<Map<String, Object>> categories = Arrays.stream(FailureCategory.values()).map(c -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", c.title());
            entry.put("description", c.meaning());
            entry.put("messageRegex", c.messageRegex());
            entry.put("matchedStatuses", c.matchedStatuses());
            return entry;
        }).toList();
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(categories) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise categories", e);
        }
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
