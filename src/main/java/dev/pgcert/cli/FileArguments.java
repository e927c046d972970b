package dev.pgcert.cli;

import dev.pgcert.topology.ProjectLayout;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file or directory named on the command line: relative to the caller's directory; if nothing is
 * there, relative to the project ({@link ProjectLayout#root()}), so that {@code bin/pgcert run
 * scenarios/primary-crash-async.yaml} works from any directory.
 */
final class FileArguments {
    private FileArguments() {}

    static Path path(String argument) {
        Path given = Path.of(argument);
        if (given.isAbsolute() || Files.exists(given)) {
            return given;
        }
        Path inProject = ProjectLayout.root().resolve(given);
        return Files.exists(inProject) ? inProject : given;
    }

    /**
     * The files the arguments name, a directory standing for its YAML files; each argument that names
     * nothing is added to {@code missing} as a message.
     */
    static java.util.List<Path> yamlFiles(java.util.List<Path> arguments, java.util.List<String> missing) {
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (Path path : arguments) {
            if (Files.isDirectory(path)) {
                files.addAll(yamlFilesIn(path));
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                missing.add(path + ": no such file or directory");
            }
        }
        return files;
    }

    /** The YAML files directly in a directory, sorted (a directory argument means these). */
    static java.util.List<Path> yamlFilesIn(Path directory) {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (java.io.IOException e) {
            return java.util.List.of();
        }
    }
}
