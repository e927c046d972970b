package dev.pgcert.cli;

import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code pgcert validate FILE|DIR...}: validates each file, tells its kind by its top-level keys. */
final class ValidateCommand {

    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> arguments) {
        List<Path> files = new ArrayList<>();
        for (String argument : arguments) {
            Path path = FileArguments.path(argument);
            if (Files.isDirectory(path)) {
                List<Path> inDirectory = FileArguments.yamlFilesIn(path);
                if (inDirectory.isEmpty()) {
                    err.println(path + ": no *.yaml or *.yml files in this directory");
                    return Main.INVALID;
                }
                files.addAll(inDirectory);
            } else {
                files.add(path);
            }
        }
        int invalid = 0;
        for (Path file : files) {
            if (!validate(file)) {
                invalid++;
            }
        }
        if (files.size() > 1 && invalid > 0) {
            err.println(invalid + " of " + files.size() + " files are invalid");
        }
        return invalid == 0 ? Main.OK : Main.INVALID;
    }

    private boolean validate(Path file) {
        try {
            YamlDocument document = YamlDocument.read(file);
            Optional<YamlMap> root = document.rootMap();
            if (root.isEmpty()) {
                document.problems().throwIfErrors();
            }
            // Problems found while parsing (duplicate keys) stay in the document and come out with the kind's own.
            FileKind kind = FileKinds.of(root.get()).orElseThrow(() -> unknownKind(document));
            FileKind.Result result = kind.validate(document);
            result.warnings().forEach(w -> err.println(w.format()));
            out.println(file + ": ok (" + result.summary() + ")");
            result.details().forEach(line -> out.println("  " + line));
            return true;
        } catch (ValidationException e) {
            e.problems().stream().map(Problem::format).forEach(err::println);
            return false;
        }
    }

    private static ValidationException unknownKind(YamlDocument document) {
        document.problems().error(document.root().location(), "",
                "cannot tell what kind of file this is: " + FileKinds.markers());
        return new ValidationException(document.problems().all());
    }
}
