package dev.pgcert.report;

import dev.pgcert.json.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.util.ResultsUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The harness's way into the Allure report: timed steps, attachments, and expectations shown as
 * passed or failed steps. Outside a running test Allure only logs that there is no test; the
 * bodies still run, so scenario code can call these unconditionally.
 */
public final class AllureReport {


    private AllureReport() {}

    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    @FunctionalInterface
    public interface Producing<T> {
        T get() throws Exception;
    }

    /**
     * Runs {@code body} as a report step and returns how long it took. A throwing body marks the step
     * failed (assertion) or broken (anything else) and the exception propagates unchanged.
     */
    public static Duration step(String name, Body body) {
        long start = System.nanoTime();
        Allure.step(name, body::run);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Runs {@code body} as a report step and returns its result. */
    public static <T> T step(String name, Producing<T> body) {
        return Allure.step(name, body::get);
    }

    public static void attachPng(String name, Path png) {
        attachFile(name, "image/png", "png", png);
    }

    public static void attachPng(String name, byte[] png) {
        Allure.addAttachment(name, "image/png", new ByteArrayInputStream(png), "png");
    }

    public static void attachText(String name, String text) {
        Allure.addAttachment(name, "text/plain", new ByteArrayInputStream(bytes(text)), "txt");
    }

    /** Attaches JSON text as is. */
    public static void attachJson(String name, String json) {
        Allure.addAttachment(name, "application/json", new ByteArrayInputStream(bytes(json)), "json");
    }

    /** Serialises {@code value} (records, maps, lists, java.time values) to indented JSON and attaches it. */
    public static void attachJsonOf(String name, Object value) {
        try {
            attachJson(name, Json.PRETTY.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + name + " to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A single HTML page, shown inline by the report. */
    public static void attachHtml(String name, String html) {
        Allure.addAttachment(name, "text/html", new ByteArrayInputStream(bytes(html)), "html");
    }

    /**
     * Zips a directory (a Gatling HTML report: index.html plus js/ and style/) and attaches the zip.
     * The report cannot show a multi-file site inline; the zip downloads and opens locally.
     */
    public static void attachHtmlZip(String name, Path directory) {
        Allure.addAttachment(name, "application/zip", new ByteArrayInputStream(zip(directory)), "zip");
    }

    /**
     * Records an already judged expectation (e.g. a dev.pgcert.check.ExpectationResult's describe())
     * as a passed or failed step; returns {@code passed}.
     */
    public static boolean expectationStep(String description, boolean passed) {
        Allure.step(description, passed ? Status.PASSED : Status.FAILED);
        return passed;
    }

    /** How a test case run outside JUnit ended: its status and what was thrown, if anything. */
    public record TestCaseOutcome(Status status, Optional<Throwable> error) {}

    /**
     * Runs {@code body} as one Allure test case outside JUnit (the command line): the same result file
     * a JUnit run writes, with the labels given plus this host's and those set by {@code allure.label.*}
     * for names not given.
     * A body that throws an {@link AssertionError} gives a failed test, anything else a broken one;
     * nothing propagates.
     */
    public static TestCaseOutcome testCase(String name, String fullName, List<Label> labels, Body body) {
        return testCase(name, fullName, labels, List.of(), body);
    }

    /**
     * As {@link #testCase(String, String, List, Body)}, with parameters that are part of the test's
     * identity: the same full name with other parameters ({@code side=baseline}, {@code side=candidate})
     * is another test in the report, not a retry of the first.
     */
    public static TestCaseOutcome testCase(String name, String fullName, List<Label> labels, List<Parameter> parameters,
                                           Body body) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        String uuid = UUID.randomUUID().toString();
        List<Label> all = new ArrayList<>(labels);
        all.add(ResultsUtils.createHostLabel());
        all.add(ResultsUtils.createThreadLabel());
        all.add(ResultsUtils.createFrameworkLabel("pgcert"));
        all.add(ResultsUtils.createLanguageLabel("java"));
        // allure.label.* fills in what the caller did not say (a parentSuite given here stays the only one).
        ResultsUtils.getProvidedLabels().stream()
                .filter(provided -> labels.stream().noneMatch(l -> l.getName().equals(provided.getName())))
                .forEach(all::add);
        String identity = fullName + parameters.stream().map(p -> p.getName() + "=" + p.getValue())
                .reduce("", (a, b) -> a + "|" + b);
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName(name).setFullName(fullName)
                .setHistoryId(ResultsUtils.md5(identity)).setTestCaseId(ResultsUtils.md5(fullName)).setLabels(all)
                .setParameters(new ArrayList<>(parameters)));
        lifecycle.startTestCase(uuid);
        Throwable error = null;
        try {
            body.run();
        } catch (Throwable t) {
            error = t;
        }
        Status status = error == null ? Status.PASSED : ResultsUtils.getStatus(error).orElse(Status.BROKEN);
        Throwable thrown = error;
        lifecycle.updateTestCase(uuid, result -> {
            result.setStatus(status);
            if (thrown != null) {
                ResultsUtils.getStatusDetails(thrown).ifPresent(result::setStatusDetails);
            }
        });
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
        return new TestCaseOutcome(status, Optional.ofNullable(error));
    }

    static byte[] zip(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(directory.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot zip " + directory, e);
        }
        return out.toByteArray();
    }

    private static void attachFile(String name, String type, String extension, Path file) {
        try (var in = Files.newInputStream(file)) {
            Allure.addAttachment(name, type, in, extension);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach " + file, e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
