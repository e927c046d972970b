package dev.pgcert.report;

import io.qameta.allure.util.PropertiesUtils;

import java.nio.file.Path;

/** Where this JVM's Allure adapter writes results: {@code allure.results.directory} from allure.properties or a system property. */
public final class AllureResults {

    private AllureResults() {}

    public static Path directory() {
        return Path.of(PropertiesUtils.loadAllureProperties().getProperty("allure.results.directory", "allure-results"));
    }
}
