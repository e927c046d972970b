package dev.pgcert.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code pgcert} command line. Exit status: 0 success, 1 an input is invalid (validate) or a verdict
 * failed (run), 2 wrong usage, or for run also invalid input or a harness error.
 * Problems go to standard error, one per line, {@code file:line:column: field: message}; no stack traces.
 */
public final class Main {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: pgcert validate FILE|DIR...
                   pgcert run [--topology FILE] [--tag TAG] SCENARIO|DIR...
                   pgcert stability [--last N] [RUNS_DIR]
                   pgcert import --patroni FILE [--pgbouncer FILE] [--haproxy FILE] [--nodes N]
                                 [--stack S] -o TOPOLOGY
                   pgcert compare --baseline SIDE --candidate SIDE [--baseline-set KEY=VALUE]...
                                  [--candidate-set KEY=VALUE]... [--runs N] [SCENARIO|DIR...]
              validate   check topology and scenario files without starting anything; a directory
                         means every *.yaml and *.yml file in it
              run        certify: run scenarios (a directory: every *.yaml in it, --tag: only those
                         tagged so) on real clusters; --topology runs them on that topology instead.
                         Evidence in target/pgcert-runs/, Allure results in
                         target/pgcert-allure-results/, the report in reports/certification-report/
              stability  after several runs of a suite: each scenario's verdicts in its last N runs
                         (default 3) and the spread of its figures, from RUNS_DIR
                         (default target/pgcert-runs)
              compare    is the candidate worse than the baseline? A SIDE is a stack (bookworm,
                         trixie: each scenario on its own topology, on that stack) or a topology
                         (file or name in topologies/) that every scenario runs on; --*-set
                         changes that side's topology (patroni.ttl=20, router.check_interval=2s,
                         stack=bookworm) before it is validated. Each scenario (default: those
                         tagged smoke) runs N times per side (default 3), interleaved. Summary in
                         target/pgcert-compare/<time>/summary.md, the report in
                         reports/compare-report/. Exit 0 nowhere worse, 1 worse somewhere or a
                         candidate verdict failed, 2 usage, invalid input or harness error
              import     write a topology from your cluster's patroni.yml (and pgbouncer.ini,
                         haproxy.cfg): every setting it can reproduce, a comment on each one
                         it cannot and why; hosts and credentials are never copied. The
                         topology is validated before it is written (docs/import.md)
            exit status: 0 all valid, 1 something is invalid, 2 wrong usage""";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "validate":
                if (rest.isEmpty()) {
                    err.println("pgcert validate: no files given");
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
                return new ValidateCommand(out, err).run(rest);
            case "run":
                return new RunCommand(out, err).run(rest);
            case "compare":
                return new CompareCommand(out, err).run(rest);
            case "import":
                return new ImportCommand(out, err).run(rest);
            case "stability":
                return new StabilityCommand(out, err).run(rest);
            case "help", "-h", "--help":
                out.println(USAGE_TEXT);
                return OK;
            default:
                err.println("pgcert: unknown command '" + args[0] + "'");
                err.println(USAGE_TEXT);
                return USAGE;
        }
    }
}
