package dev.pgcert.cli;

import dev.pgcert.check.RunSummary;
import dev.pgcert.junit.Certification;
import dev.pgcert.report.AllureReport;
import dev.pgcert.report.Comparison;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioLoader;
import dev.pgcert.topology.ProjectLayout;
import dev.pgcert.topology.Stacks;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlOverride;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.util.ResultsUtils;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code pgcert compare --baseline A --candidate B [--baseline-set K=V]... [--candidate-set K=V]...
 * [--runs N] [SCENARIO|DIR...]}: is the candidate (a stack, a topology, a topology with overrides) worse
 * than the baseline? Both sides and every scenario are read and validated before any container starts.
 * Each scenario then runs N times on each side, interleaved (baseline, candidate, baseline, ...) so that
 * a drift of the machine hits both alike; each run is one Allure test case (parameters {@code side} and
 * {@code run}), and each scenario gets a comparison test with its table. Every compared metric is judged
 * by {@link dev.pgcert.report.MetricComparison} (same = inside the run-to-run spread). The Markdown
 * summary goes to {@code target/pgcert-compare/<time>/summary.md} and standard output.
 * Exit status: 0 the candidate is nowhere worse and its verdicts pass, 1 it is worse somewhere or a
 * candidate verdict failed, 2 wrong usage, invalid input or a harness error.
 */
final class CompareCommand {

    static final String RESULTS_DIR = "target/pgcert-compare-allure-results";
    static final String REPORT_DIR = "reports/compare-report";
    static final String SUMMARY_DIR = "target/pgcert-compare";
    static final int DEFAULT_RUNS = 3;
    /** Without scenario arguments: the smoke scenarios. */
    static final String DEFAULT_TAG = "smoke";

    enum Side {
        BASELINE, CANDIDATE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What one side runs on: a stack (every scenario's own topology, on that stack), or a topology (file or
     * name in topologies/) that replaces every scenario's; either with overrides applied to the topology YAML.
     */
    record SideSpec(String given, Optional<String> stack, Optional<Path> topology, List<YamlOverride> overrides) {
        String describe() {
            String what = stack.map(s -> "stack " + Stacks.byName(s).map(dev.pgcert.topology.Stack::describe).orElse(s)
                    + ", each scenario's own topology")
                    .orElseGet(() -> "topology " + topology.map(Path::toString).orElse(given));
            List<YamlOverride> shown = overrides.stream().filter(o -> !o.source().startsWith("--baseline ")
                    && !o.source().startsWith("--candidate ")).toList();
            return shown.isEmpty() ? what : what + ", with " + String.join(", ",
                    shown.stream().map(o -> o.key() + "=" + o.value()).toList());
        }
    }

    private record Options(SideSpec baseline, SideSpec candidate, int runs, List<Path> paths) {}

    /** One scenario as each side runs it. */
    private record Pair(Scenario baseline, Scenario candidate) {
        Scenario on(Side side) {
            return side == Side.BASELINE ? baseline : candidate;
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Path results;
    private final Path summaries;
    private final Function<PrintStream, RunCommand.Session> sessions;
    private final Supplier<LocalDateTime> clock;

    CompareCommand(PrintStream out, PrintStream err) {
        this(out, err, ProjectLayout.root().resolve(RESULTS_DIR), ProjectLayout.root().resolve(SUMMARY_DIR),
                RunCommand::certification, LocalDateTime::now);
    }

    CompareCommand(PrintStream out, PrintStream err, Path results, Path summaries,
                   Function<PrintStream, RunCommand.Session> sessions, Supplier<LocalDateTime> clock) {
        this.out = out;
        this.err = err;
        this.results = results;
        this.summaries = summaries;
        this.sessions = sessions;
        this.clock = clock;
    }

    int run(List<String> arguments) {
        if (Stacks.override().isPresent()) {
            err.println("pgcert compare: the stack is chosen per side here, not for the whole run (--stack / -D"
                    + Stacks.OVERRIDE_PROPERTY + "): use --baseline " + Stacks.override().get()
                    + " or --candidate-set stack=" + Stacks.override().get());
            return Main.USAGE;
        }
        Optional<Options> options;
        try {
            options = parse(arguments);
        } catch (IllegalArgumentException e) {
            err.println("pgcert compare: " + e.getMessage());
            options = Optional.empty();
        }
        if (options.isEmpty()) {
            err.println(Main.USAGE_TEXT);
            return Main.USAGE;
        }
        Optional<List<Pair>> pairs = load(options.get());
        if (pairs.isEmpty()) {
            return Main.USAGE;
        }
        return compare(options.get(), pairs.get());
    }

    private Optional<Options> parse(List<String> arguments) {
        Map<Side, String> sides = new LinkedHashMap<>();
        Map<Side, List<YamlOverride>> sets = Map.of(Side.BASELINE, new ArrayList<>(), Side.CANDIDATE, new ArrayList<>());
        int runs = DEFAULT_RUNS;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (List.of("--baseline", "--candidate", "--baseline-set", "--candidate-set", "--runs").contains(a)) {
                if (i + 1 >= arguments.size()) {
                    err.println("pgcert compare: " + a + " needs a value");
                    return Optional.empty();
                }
                String value = arguments.get(++i);
                switch (a) {
                    case "--baseline" -> sides.put(Side.BASELINE, value);
                    case "--candidate" -> sides.put(Side.CANDIDATE, value);
                    case "--baseline-set" -> sets.get(Side.BASELINE).add(YamlOverride.parse(value, a + " " + value));
                    case "--candidate-set" -> sets.get(Side.CANDIDATE).add(YamlOverride.parse(value, a + " " + value));
                    default -> {
                        try {
                            runs = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            runs = -1;
                        }
                        if (runs < 2) {
                            err.println("pgcert compare: --runs must be a whole number of at least 2 (got '" + value
                                    + "'): \"same\" means inside the run-to-run spread, which one run does not have");
                            return Optional.empty();
                        }
                    }
                }
            } else if (a.startsWith("-")) {
                err.println("pgcert compare: unknown option '" + a + "'");
                return Optional.empty();
            } else {
                paths.add(FileArguments.path(a));
            }
        }
        for (Side side : Side.values()) {
            if (!sides.containsKey(side)) {
                err.println("pgcert compare: --" + side.label() + " is required (a stack: "
                        + String.join(", ", Stacks.names()) + "; or a topology file or name)");
                return Optional.empty();
            }
        }
        Optional<SideSpec> baseline = side(Side.BASELINE, sides.get(Side.BASELINE), sets.get(Side.BASELINE));
        Optional<SideSpec> candidate = side(Side.CANDIDATE, sides.get(Side.CANDIDATE), sets.get(Side.CANDIDATE));
        if (baseline.isEmpty() || candidate.isEmpty()) {
            return Optional.empty();
        }
        if (paths.isEmpty()) {
            paths.add(ProjectLayout.root().resolve("scenarios"));
        }
        return Optional.of(new Options(baseline.get(), candidate.get(), runs, paths));
    }

    /** A stack name, else a topology file (a path, or a name looked up in topologies/). */
    private Optional<SideSpec> side(Side side, String given, List<YamlOverride> overrides) {
        if (Stacks.byName(given).isPresent()) {
            List<YamlOverride> all = new ArrayList<>();
            all.add(new YamlOverride("stack", given, "--" + side.label() + " " + given));
            all.addAll(overrides);
            return Optional.of(new SideSpec(given, Optional.of(given), Optional.empty(), all));
        }
        Path file = given.endsWith(".yaml") || given.endsWith(".yml")
                ? FileArguments.path(given)
                : ProjectLayout.topologies().resolve(given + ".yaml");
        if (!Files.isRegularFile(file)) {
            err.println("pgcert compare: --" + side.label() + " " + given + ": neither a stack ("
                    + String.join(", ", Stacks.names()) + ") nor a topology (looked for " + file + ")");
            return Optional.empty();
        }
        return Optional.of(new SideSpec(given, Optional.empty(), Optional.of(file), List.copyOf(overrides)));
    }

    /** Both sides of every scenario, validated; empty (after printing every problem) if any input is wrong. */
    private Optional<List<Pair>> load(Options options) {
        boolean explicit = !options.paths().equals(List.of(ProjectLayout.root().resolve("scenarios")));
        List<String> missing = new ArrayList<>();
        List<Path> files = FileArguments.yamlFiles(options.paths(), missing);
        missing.forEach(err::println);
        boolean ok = missing.isEmpty();
        Map<Side, Optional<Topology>> topologies = new LinkedHashMap<>();
        for (Side side : Side.values()) {
            SideSpec spec = side == Side.BASELINE ? options.baseline() : options.candidate();
            topologies.put(side, Optional.empty());
            if (spec.topology().isPresent()) {
                try {
                    topologies.put(side, Optional.of(TopologyLoader.load(spec.topology().get(), spec.overrides())));
                } catch (ValidationException e) {
                    e.problems().stream().map(Problem::format).forEach(err::println);
                    ok = false;
                }
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (Path file : files) {
            Scenario[] both = new Scenario[2];
            for (Side side : Side.values()) {
                SideSpec spec = side == Side.BASELINE ? options.baseline() : options.candidate();
                try {
                    both[side.ordinal()] = spec.topology().isPresent()
                            ? (topologies.get(side).isPresent()
                                    ? ScenarioLoader.load(file, ProjectLayout.topologies(), topologies.get(side))
                                    : null)
                            : ScenarioLoader.load(file, ProjectLayout.topologies(), spec.overrides());
                } catch (ValidationException e) {
                    err.println("on the " + side.label() + " (" + spec.given() + "):");
                    e.problems().stream().map(Problem::format).forEach(err::println);
                    ok = false;
                }
            }
            if (both[0] != null && both[1] != null) {
                pairs.add(new Pair(both[0], both[1]));
            }
        }
        if (!ok) {
            err.println("pgcert compare: invalid input, nothing was started");
            return Optional.empty();
        }
        List<Pair> chosen = explicit ? pairs
                : pairs.stream().filter(p -> p.baseline().tags().contains(DEFAULT_TAG)).toList();
        if (chosen.isEmpty()) {
            err.println("pgcert compare: no scenario in " + options.paths()
                    + (explicit ? "" : " tagged " + DEFAULT_TAG));
            return Optional.empty();
        }
        return Optional.of(chosen);
    }

    private int compare(Options options, List<Pair> pairs) {
        String started = clock.get().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            RunCommand.prepareResults(results, REPORT_DIR);
        } catch (RuntimeException e) {
            err.println("pgcert compare: " + e.getMessage());
            return Main.USAGE;
        }
        out.println("[pgcert] compare: baseline = " + options.baseline().describe());
        out.println("[pgcert] compare: candidate = " + options.candidate().describe());
        List<Comparison> comparisons = new ArrayList<>();
        int status = Main.OK;
        try (RunCommand.Session session = sessions.apply(out)) {
            for (Pair pair : pairs) {
                Map<Side, List<Comparison.Run>> runs = Map.of(Side.BASELINE, new ArrayList<>(), Side.CANDIDATE, new ArrayList<>());
                Map<Side, Optional<Path>> firstEvidence = new LinkedHashMap<>();
                for (int i = 1; i <= options.runs(); i++) {
                    for (Side side : Side.values()) {
                        Scenario scenario = pair.on(side);
                        String what = scenario.name() + " [" + side.label() + " " + i + "/" + options.runs() + "]";
                        out.println("[pgcert] " + what + ": starting");
                        RunCommand.Certified certified = RunCommand.certify(session, scenario, what,
                                "pgcert.compare." + scenario.name(), labels(scenario, side),
                                List.of(parameter("side", side.label()), parameter("run", String.valueOf(i))));
                        out.println("[pgcert] " + certified.line(what));
                        runs.get(side).add(run(certified));
                        firstEvidence.putIfAbsent(side, certified.evidence());
                    }
                }
                Comparison comparison = new Comparison(pair.baseline().name(), runs.get(Side.BASELINE), runs.get(Side.CANDIDATE));
                comparisons.add(comparison);
                comparisonTest(comparison, firstEvidence);
                if (comparison.harnessError()) {
                    status = Main.USAGE;
                } else if (comparison.regression()) {
                    status = Math.max(status, Main.INVALID);
                }
            }
        } catch (RuntimeException e) {
            err.println("pgcert compare: harness error: " + e);
            status = Main.USAGE;
        }
        String summary = summary(options, comparisons, status);
        Path file = summaries.resolve(started).resolve("summary.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, summary);
        } catch (IOException e) {
            err.println("pgcert compare: cannot write " + file + ": " + e.getMessage());
            status = Main.USAGE;
        }
        AllureReport.testCase("comparison", "pgcert.compare.comparison", List.of(
                ResultsUtils.createParentSuiteLabel("Comparison"), ResultsUtils.createSuiteLabel("summary")),
                () -> {
                    AllureReport.attachText("summary.md", summary);
                    List<String> regressions = comparisons.stream().map(Comparison::regressionMessage)
                            .flatMap(Optional::stream).toList();
                    if (!regressions.isEmpty()) {
                        throw new AssertionError(String.join(" | ", regressions));
                    }
                });
        out.println();
        out.print(summary);
        out.println("Summary: " + file);
        out.println("Allure results: " + results);
        return status;
    }

    private static Comparison.Run run(RunCommand.Certified certified) {
        Comparison.Run.Outcome outcome = switch (certified.status()) {
            case PASSED -> Comparison.Run.Outcome.PASSED;
            case FAILED -> Comparison.Run.Outcome.FAILED;
            default -> Comparison.Run.Outcome.HARNESS_ERROR;
        };
        Map<String, Object> metrics = Map.of();
        Optional<Path> json = certified.evidence().map(e -> e.resolve(RunSummary.FILE_NAME)).filter(Files::isRegularFile);
        if (outcome != Comparison.Run.Outcome.HARNESS_ERROR && json.isPresent()) {
            try {
                metrics = RunSummary.read(json.get()).metrics();
            } catch (IOException | RuntimeException e) {
                return new Comparison.Run(Comparison.Run.Outcome.HARNESS_ERROR, "cannot read " + json.get() + ": " + e, Map.of());
            }
        }
        return new Comparison.Run(outcome, certified.message(), metrics);
    }

    /** The scenario's table, and the first run's timeline of each side; failed when the candidate regressed. */
    private static void comparisonTest(Comparison comparison, Map<Side, Optional<Path>> evidence) {
        AllureReport.testCase("comparison: " + comparison.scenario(), "pgcert.compare.comparison." + comparison.scenario(),
                List.of(ResultsUtils.createParentSuiteLabel("Comparison"), ResultsUtils.createSuiteLabel(comparison.scenario())),
                () -> {
                    AllureReport.attachText("comparison (markdown)", comparison.table());
                    sideBySide(evidence).ifPresent(html -> AllureReport.attachHtml("timelines side by side (run 1)", html));
                    if (comparison.harnessError()) {
                        throw new IllegalStateException("a run had a harness error: the comparison is incomplete");
                    }
                    Optional<String> regression = comparison.regressionMessage();
                    if (regression.isPresent()) {
                        throw new AssertionError(regression.get());
                    }
                });
    }

    /** Each side's first timeline plot, next to each other in one page; empty when neither side has one. */
    private static Optional<String> sideBySide(Map<Side, Optional<Path>> evidence) throws IOException {
        StringBuilder cells = new StringBuilder();
        boolean any = false;
        for (Side side : Side.values()) {
            Optional<Path> png = evidence.getOrDefault(side, Optional.empty()).map(d -> d.resolve("timeline.png"))
                    .filter(Files::isRegularFile);
            cells.append("<td style=\"vertical-align:top;width:50%\"><h3>").append(side.label()).append("</h3>");
            if (png.isPresent()) {
                any = true;
                cells.append("<img style=\"width:100%\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png.get()))).append("\">");
            } else {
                cells.append("<p>no timeline</p>");
            }
            cells.append("</td>");
        }
        return any ? Optional.of("<html><body><table style=\"width:100%\"><tr>" + cells + "</tr></table></body></html>")
                : Optional.empty();
    }

    private static List<Label> labels(Scenario scenario, Side side) {
        return List.of(ResultsUtils.createParentSuiteLabel("Comparison"), ResultsUtils.createSuiteLabel(scenario.name()),
                ResultsUtils.createSubSuiteLabel(side.label()));
    }

    private static Parameter parameter(String name, String value) {
        return new Parameter().setName(name).setValue(value);
    }

    static String summary(Options options, List<Comparison> comparisons, int status) {
        StringBuilder s = new StringBuilder();
        s.append("## pgcert compare\n\n");
        s.append("- baseline: ").append(options.baseline().describe()).append('\n');
        s.append("- candidate: ").append(options.candidate().describe()).append('\n');
        s.append("- ").append(options.runs()).append(" runs per side and scenario, interleaved; \"same\" = inside the"
                + " run-to-run spread (ranges overlap, or the medians differ by no more than the larger range); a count that is"
                + " 0 on every run of one side and not on the other, or a time that never came on one side, is a difference\n\n");
        s.append(Comparison.tableHeader());
        comparisons.forEach(c -> s.append(c.tableRows()));
        s.append('\n');
        comparisons.stream().filter(c -> !c.unmatched().isEmpty())
                .forEach(c -> s.append("Not compared in ").append(c.scenario()).append(": ")
                        .append(String.join(", ", c.unmatched())).append("\n"));
        List<String> regressions = comparisons.stream().map(Comparison::regressionMessage).flatMap(Optional::stream).toList();
        String outcome = switch (status) {
            case Main.OK -> "**No regression**: the candidate is nowhere worse and its verdicts pass.";
            case Main.INVALID -> "**Regression**:\n" + String.join("\n", regressions.stream().map(r -> "- " + r).toList());
            default -> "**Incomplete**: a run had a harness error (no verdict); see the console and the Allure results."
                    + (regressions.isEmpty() ? "" : "\n" + String.join("\n", regressions.stream().map(r -> "- " + r).toList()));
        };
        s.append(outcome).append('\n');
        return s.toString();
    }
}
