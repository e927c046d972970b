package dev.pgcert.report;

import dev.pgcert.check.MetricCatalog;
import dev.pgcert.check.RunSummary;
import dev.pgcert.check.Stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether repeated runs of the same scenarios agree: for each scenario, its last N runs' verdicts and the
 * spread (minimum, median, maximum) of its key figures, read from the runs' {@code metrics.json} files.
 * A scenario whose verdict changed between runs is flaky evidence, whichever way it went.
 */
public final class StabilityTable {

    /** One run's verdict and figures; absent figures are NaN. */
    public record Run(String scenario, String started, boolean passed, double clientFailoverSeconds,
                      double dcsFailoverSeconds, double lostWrites, double readOffloadShare) {}

    private StabilityTable() {}

    /** Every run under {@code runsDir} (one folder per run, named {@code <scenario>-<yyyyMMdd-HHmmss>}). */
    public static List<Run> read(Path runsDir) {
        try (Stream<Path> dirs = Files.list(runsDir)) {
            List<Run> runs = new ArrayList<>();
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(RunSummary.FILE_NAME))).toList()) {
                runs.add(readRun(dir));
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException("reading runs in " + runsDir + ": " + e.getMessage(), e);
        }
    }

    static Run readRun(Path dir) throws IOException {
        RunSummary summary = RunSummary.read(dir.resolve(RunSummary.FILE_NAME));
        String name = dir.getFileName().toString();
        String started = name.length() > 15 ? name.substring(name.length() - 15) : name;
        Map<String, Object> metrics = summary.metrics();
        return new Run(summary.scenario(), started, summary.passed(),
                number(metrics, "failover_time.client"), number(metrics, "failover_time.dcs"),
                number(metrics, "data_loss.lost"), number(metrics, "read_offload.share"));
    }

    /** A figure of the run; NaN when absent. Jackson writes infinity as the string "Infinity" (writes that never came back). */
    private static double number(Map<String, Object> metrics, String metric) {
        Object v = MetricCatalog.lookup(metrics, metric).orElse(null);
        if (v instanceof Number n) return n.doubleValue();
        if ("Infinity".equals(v)) return Double.POSITIVE_INFINITY;
        return Double.NaN;
    }

    /** A Markdown table of each scenario's last {@code last} runs. */
    public static String render(List<Run> runs, int last) {
        Map<String, List<Run>> byScenario = new TreeMap<>(runs.stream().collect(Collectors.groupingBy(Run::scenario)));
        StringBuilder out = new StringBuilder();
        out.append("| scenario | runs | verdicts | same every time | failover_time.client s (min / median / max)"
                + " | failover_time.dcs s (min / median / max) | data_loss.lost (min / median / max)"
                + " | read_offload.share (min / median / max) |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        byScenario.forEach((scenario, all) -> {
            List<Run> recent = all.stream().sorted(Comparator.comparing(Run::started)).toList();
            recent = recent.subList(Math.max(0, recent.size() - last), recent.size());
            List<String> verdicts = recent.stream().map(r -> r.passed() ? "pass" : "fail").toList();
            boolean same = verdicts.stream().distinct().count() == 1;
            out.append("| ").append(scenario)
                    .append(" | ").append(recent.size())
                    .append(" | ").append(String.join(", ", verdicts))
                    .append(" | ").append(same ? (recent.size() < last ? "yes (fewer runs)" : "yes") : "**no**")
                    .append(" | ").append(spread(recent.stream().mapToDouble(Run::clientFailoverSeconds).boxed().toList(), "%.1f"))
                    .append(" | ").append(spread(recent.stream().mapToDouble(Run::dcsFailoverSeconds).boxed().toList(), "%.1f"))
                    .append(" | ").append(spread(recent.stream().mapToDouble(Run::lostWrites).boxed().toList(), "%.0f"))
                    .append(" | ").append(spread(recent.stream().mapToDouble(Run::readOffloadShare).boxed().toList(), "%.2f"))
                    .append(" |\n");
        });
        return out.toString();
    }

    /** "min / median / max" of the values that exist ({@link Stats}: the lower median, a run seen); "-" when none does. */
    static String spread(List<Double> values, String format) {
        double[] present = Stats.sorted(values.stream().filter(v -> !v.isNaN()).toList());
        if (present.length == 0) return "-";
        return show(present[0], format) + " / " + show(Stats.median(present), format) + " / " + show(Stats.max(present), format);
    }

    private static String show(double v, String format) {
        return Double.isInfinite(v) ? "never" : String.format(Locale.ROOT, format, v);
    }

}
