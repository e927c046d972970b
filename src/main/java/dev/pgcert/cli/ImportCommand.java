package dev.pgcert.cli;

import dev.pgcert.imports.Importer;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pgcert import --patroni patroni.yml [--pgbouncer pgbouncer.ini] [--haproxy haproxy.cfg]
 * [--nodes N] [--stack S] -o topology.yaml}: writes a topology from a cluster's real files
 * ({@link Importer}). The topology is validated before it is written. Exit 0 written, 1 an input file is
 * malformed or the topology does not validate (nothing written), 2 usage.
 */
final class ImportCommand {

    static final String USAGE = "usage: pgcert import --patroni FILE [--pgbouncer FILE] [--haproxy FILE] [--nodes N] "
            + "[--stack S] -o FILE";

    private final PrintStream out;
    private final PrintStream err;

    ImportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        Importer importer = new Importer();
        Path output = null;
        boolean patroni = false;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                return usage(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--patroni" -> {
                    importer.withPatroni(FileArguments.path(value));
                    patroni = true;
                }
                case "--pgbouncer" -> importer.withPgBouncer(FileArguments.path(value));
                case "--haproxy" -> importer.withHaproxy(FileArguments.path(value));
                case "--stack" -> importer.withStack(value);
                case "--nodes" -> {
                    try {
                        importer.withNodes(Integer.parseInt(value));
                    } catch (IllegalArgumentException e) {
                        return usage("--nodes must be a number from 1 to 9, got '" + value + "'");
                    }
                }
                case "-o", "--output" -> output = Path.of(value);
                default -> {
                    return usage("unknown option '" + option + "'");
                }
            }
        }
        if (!patroni || output == null) {
            return usage(!patroni ? "--patroni is required" : "-o is required");
        }
        importer.withOutputName(output.toString());
        Importer.Result result;
        try {
            result = importer.run();
        } catch (ValidationException e) {
            e.problems().stream().map(Problem::format).forEach(err::println);
            return Main.INVALID;
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, result.yaml());
        } catch (IOException e) {
            err.println(output + ": cannot write: " + e.getMessage());
            return Main.INVALID;
        }
        result.dropped().forEach(d -> err.println(d.format()));
        result.warnings().forEach(w -> err.println(w.format()));
        out.println(output + ": written (stack " + result.stack().name() + ", " + result.kept().size()
                + " settings reproduced, " + result.dropped().size() + " not, each with a comment); it validates");
        return Main.OK;
    }

    private int usage(String message) {
        err.println("pgcert import: " + message);
        err.println(USAGE);
        return Main.USAGE;
    }
}
