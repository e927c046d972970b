package dev.pgcert.cli;

import dev.pgcert.junit.Certification;
import dev.pgcert.report.AllureCategories;
import dev.pgcert.report.AllureReport;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioLoader;
import dev.pgcert.topology.ProjectLayout;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import io.qameta.allure.Allure;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code pgcert run [--topology FILE] [--tag TAG] SCENARIO_OR_DIR...}: certifies from a shell. Every
 * scenario is read and validated before any container starts; then each runs as one Allure test case
 * (the same steps, attachments and verdict as {@code mvn verify}) into its own results directory,
 * {@value #RESULTS_DIR}, so that its report holds the certification alone. Evidence goes to the
 * project's {@code target/pgcert-runs/}. Exit status: 0 every verdict passed, 1 a verdict failed,
 * 2 wrong usage, invalid input or a harness error (no verdict).
 */
final class RunCommand {

    static final String RESULTS_DIR = "target/pgcert-allure-results";
    /** Where bin/pgcert writes the certification-only report (generated from {@link #RESULTS_DIR}). */
    static final String REPORT_DIR = "reports/certification-report";

    /** Runs and judges scenarios on real clusters; a test gives its own. */
    interface Session extends AutoCloseable {
        /**
         * Runs and judges one scenario inside the current Allure test case.
         *
         * @param evidence told the run's evidence directory as soon as it is known
         * @throws AssertionError the verdict failed; anything else is a harness error
         */
        void certify(Scenario scenario, Consumer<Path> evidence) throws Exception;

        @Override
        void close();
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Path results;
    private final Function<PrintStream, Session> sessions;

    RunCommand(PrintStream out, PrintStream err) {
        this(out, err, ProjectLayout.root().resolve(RESULTS_DIR), RunCommand::certification);
    }

    RunCommand(PrintStream out, PrintStream err, Path results, Function<PrintStream, Session> sessions) {
        this.out = out;
        this.err = err;
        this.results = results;
        this.sessions = sessions;
    }

    static Session certification(PrintStream console) {
        Certification certification = new Certification(ProjectLayout.runs(), console::println);
        return new Session() {
            @Override
            public void certify(Scenario scenario, Consumer<Path> evidence) throws Exception {
                var result = certification.run(scenario);
                evidence.accept(result.evidence().runDirectory());
                Certification.judge(scenario, result);
            }

            @Override
            public void close() {
                certification.close();
            }
        };
    }

    private record Options(List<Path> paths, Optional<Path> topology, Optional<String> tag) {}

    int run(List<String> arguments) {
        Optional<Options> options = parse(arguments);
        if (options.isEmpty()) {
            err.println(Main.USAGE_TEXT);
            return Main.USAGE;
        }
        Optional<List<Scenario>> scenarios = load(options.get());
        if (scenarios.isEmpty()) {
            return Main.USAGE;
        }
        if (scenarios.get().isEmpty()) {
            err.println("pgcert run: no scenario" + options.get().tag().map(t -> " tagged " + t).orElse("") + " in "
                    + options.get().paths());
            return Main.USAGE;
        }
        return certify(scenarios.get());
    }

    private Optional<Options> parse(List<String> arguments) {
        List<Path> paths = new ArrayList<>();
        Optional<Path> topology = Optional.empty();
        Optional<String> tag = Optional.empty();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.equals("--topology") || a.equals("--tag")) {
                if (i + 1 >= arguments.size()) {
                    err.println("pgcert run: " + a + " needs a value");
                    return Optional.empty();
                }
                String value = arguments.get(++i);
                if (a.equals("--topology")) {
                    topology = Optional.of(FileArguments.path(value));
                } else {
                    tag = Optional.of(value);
                }
            } else if (a.startsWith("-")) {
                err.println("pgcert run: unknown option '" + a + "'");
                return Optional.empty();
            } else {
                paths.add(FileArguments.path(a));
            }
        }
        if (paths.isEmpty()) {
            err.println("pgcert run: no scenario files given");
            return Optional.empty();
        }
        return Optional.of(new Options(paths, topology, tag));
    }

    /** Every scenario, validated; empty (after printing every problem) if any input is wrong. */
    private Optional<List<Scenario>> load(Options options) {
        List<String> missing = new ArrayList<>();
        List<Path> files = FileArguments.yamlFiles(options.paths(), missing);
        missing.forEach(err::println);
        boolean ok = missing.isEmpty();
        Optional<Topology> override = Optional.empty();
        if (options.topology().isPresent()) {
            try {
                override = Optional.of(TopologyLoader.load(options.topology().get()));
            } catch (ValidationException e) {
                e.problems().stream().map(Problem::format).forEach(err::println);
                ok = false;
            } catch (RuntimeException e) {
                err.println(options.topology().get() + ": " + e.getMessage());
                ok = false;
            }
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Path file : files) {
            try {
                scenarios.add(ScenarioLoader.load(file, ProjectLayout.topologies(), override));
            } catch (ValidationException e) {
                e.problems().stream().map(Problem::format).forEach(err::println);
                ok = false;
            }
        }
        if (!ok) {
            err.println("pgcert run: invalid input, nothing was started");
            return Optional.empty();
        }
        return Optional.of(scenarios.stream()
                .filter(s -> options.tag().map(s.tags()::contains).orElse(true))
                .toList());
    }

    private int certify(List<Scenario> scenarios) {
        try {
            prepareResults(results, REPORT_DIR);
        } catch (RuntimeException e) {
            err.println("pgcert run: " + e.getMessage());
            return Main.USAGE;
        }
        int status = Main.OK;
        List<String> summary = new ArrayList<>();
        try (Session session = sessions.apply(out)) {
            for (Scenario scenario : scenarios) {
                out.println("[pgcert] " + scenario.name() + ": starting (" + scenario.source() + ")");
                Certified certified = certify(session, scenario, scenario.name(), "pgcert.run." + scenario.name(),
                        Certification.suiteLabels(scenario), List.of());
                String line = certified.line(scenario.name());
                status = Math.max(status, certified.exitStatus());
                out.println("[pgcert] " + line);
                summary.add(line);
            }
        } catch (RuntimeException e) {
            err.println("pgcert run: harness error: " + e);
            status = Main.USAGE;
        }
        out.println();
        summary.forEach(out::println);
        out.println("Allure results: " + results);
        return status;
    }

    /**
     * How one scenario run ended in its Allure test case: passed, failed (a verdict) or broken (a harness
     * error, no verdict), the evidence folder if the run got that far, and the failure's message.
     */
    record Certified(Status status, Optional<Path> evidence, String message) {

        /** The console line: {@code name: passed (evidence ...)}. */
        String line(String name) {
            String where = evidence.map(e -> " (evidence " + e + ")").orElse("");
            return switch (status) {
                case PASSED -> name + ": passed" + where;
                case FAILED -> name + ": FAILED " + message + where;
                default -> name + ": harness error, no verdict: " + message + where;
            };
        }

        /** 0 passed, 1 a verdict failed, 2 a harness error. */
        int exitStatus() {
            return switch (status) {
                case PASSED -> Main.OK;
                case FAILED -> Main.INVALID;
                default -> Main.USAGE;
            };
        }
    }

    /**
     * Runs and judges one scenario through {@code session} as one Allure test case ({@code parameters} are
     * part of its identity: {@code bin/pgcert compare}'s side and run number).
     */
    static Certified certify(Session session, Scenario scenario, String name, String fullName, List<Label> labels,
                             List<Parameter> parameters) {
        Path[] evidence = {null};
        AllureReport.TestCaseOutcome outcome = AllureReport.testCase(name, fullName, labels, parameters, () -> {
            try {
                session.certify(scenario, dir -> evidence[0] = dir);
            } finally {
                // The session files the test under the scenario's name and suites; the caller's win.
                Allure.getLifecycle().updateTestCase(test -> {
                    test.setName(name);
                    test.getLabels().removeIf(l -> labels.stream().anyMatch(given -> given.getName().equals(l.getName())));
                    test.getLabels().addAll(labels);
                });
            }
        });
        String message = outcome.error()
                .map(t -> t instanceof AssertionError ? String.valueOf(t.getMessage()) : t.toString()).orElse("");
        return new Certified(outcome.status(), Optional.ofNullable(evidence[0]), message);
    }

    /**
     * A fresh results directory for this run (the report shows this run only); the trend carries over
     * from the previous report's history ({@code reportDir}), as {@code mvn verify} does for its own.
     */
    static void prepareResults(Path results, String reportDir) {
        System.setProperty("allure.results.directory", results.toString());
        try {
            if (Files.isDirectory(results)) {
                try (Stream<Path> old = Files.walk(results)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(results);
            Path history = ProjectLayout.root().resolve(reportDir).resolve("history");
            if (Files.isDirectory(history)) {
                Files.createDirectories(results.resolve("history"));
                try (Stream<Path> files = Files.list(history)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Files.copy(f, results.resolve("history").resolve(f.getFileName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + results, e);
        }
        AllureCategories.writeTo(results);
    }
}
