package dev.pgcert.cli;

import dev.pgcert.report.StabilityTable;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pgcert stability [--last N] [RUNS_DIR]}: after the suite ran several times, whether each scenario got
 * the same verdict every time, with the spread of its figures (default: the last 3 runs in target/pgcert-runs).
 */
final class StabilityCommand {
    private final PrintStream out;
    private final PrintStream err;

    StabilityCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> arguments) {
        int last = 3;
        Path dir = Path.of("target", "pgcert-runs");
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.equals("--last") && i + 1 < arguments.size()) {
                try {
                    last = Integer.parseInt(arguments.get(++i));
                } catch (NumberFormatException e) {
                    last = 0;
                }
                if (last < 1) {
                    err.println("pgcert stability: --last wants a number from 1, not '" + arguments.get(i) + "'");
                    return Main.USAGE;
                }
            } else {
                dir = Path.of(a);
            }
        }
        if (!Files.isDirectory(dir)) {
            err.println(dir + ": no such directory of runs (each scenario run leaves one folder there)");
            return Main.INVALID;
        }
        List<StabilityTable.Run> runs = StabilityTable.read(dir);
        if (runs.isEmpty()) {
            err.println(dir + ": no runs with a metrics.json in it");
            return Main.INVALID;
        }
        out.print(StabilityTable.render(runs, last));
        return Main.OK;
    }
}
