package dev.pgcert.junit;

import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioLoader;
import dev.pgcert.topology.ProjectLayout;
import dev.pgcert.yaml.ValidationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scenario files of a directory, every one validated before any runs (one bad file stops the
 * suite with all problems listed, before a container starts), filtered by suite tag and by
 * {@code -Dpgcert.scenario=name[,glob...]}.
 */
public final class ScenarioCatalog {
    public static final String SELECT_PROPERTY = "pgcert.scenario";

    private ScenarioCatalog() {}

    public static List<Scenario> tagged(Path directory, String tag) {
        return load(directory).stream()
                .filter(s -> s.tags().contains(tag))
                .filter(ScenarioCatalog::selectedOnCommandLine)
                .toList();
    }

    public static List<Scenario> load(Path directory) {
        Path topologies = ProjectLayout.topologies();
        List<Scenario> scenarios = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try {
                    scenarios.add(ScenarioLoader.load(file, topologies));
                } catch (ValidationException e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenarios in " + directory, e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid scenario files (nothing was started):\n" + String.join("\n", problems));
        }
        return scenarios;
    }

    private static boolean selectedOnCommandLine(Scenario s) {
        String selection = System.getProperty(SELECT_PROPERTY, "").trim();
        if (selection.isEmpty()) {
            return true;
        }
        return Arrays.stream(selection.split(","))
                .map(String::trim)
                .anyMatch(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(s.name())));
    }
}
