package dev.pgcert.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private StabilityTable() {}

    /** Every run under {@code runsDir} (one folder per run, named {@code <scenario>-<yyyyMMdd-HHmmss>}). */
    public static List<Run> read(Path runsDir) {
        try (Stream<Path> dirs = Files.list(runsDir)) {
            List<Run> runs = new ArrayList<>();
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("metrics.json"))).toList()) {
                runs.add(readRun(dir));
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException("reading runs in " + runsDir + ": " + e.getMessage(), e);
        }
    }

    static Run readRun(Path dir) throws IOException {
        JsonNode doc = JSON.readTree(dir.resolve("metrics.json").toFile());
        String name = dir.getFileName().toString();
        String started = name.length() > 15 ? name.substring(name.length() - 15) : name;
        Map<String, JsonNode> metrics = new LinkedHashMap<>();
        for (JsonNode check : doc.path("checks")) {
            metrics.put(check.path("checker").asText(), check.path("metrics"));
        }
        JsonNode failover = metrics.getOrDefault("failover_time", JSON.createObjectNode());
        JsonNode loss = metrics.getOrDefault("data_loss", JSON.createObjectNode());
        JsonNode reads = metrics.getOrDefault("read_offload", JSON.createObjectNode());
        return new Run(doc.path("scenario").asText(name), started, doc.path("passed").asBoolean(),
                number(failover.path("client")), number(failover.path("dcs")), number(loss.path("lost")),
                number(reads.path("share")));
    }

    /** Jackson writes infinity as the string "Infinity" (writes that never came back). */
    private static double number(JsonNode node) {
        if (node.isNumber()) return node.asDouble();
        if (node.isTextual() && node.asText().equals("Infinity")) return Double.POSITIVE_INFINITY;
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

    /** "min / median / max" of the values that exist; "-" when none does. */
    static String spread(List<Double> values, String format) {
        List<Double> present = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (present.isEmpty()) return "-";
        double median = present.size() % 2 == 1 ? present.get(present.size() / 2)
                : (present.get(present.size() / 2 - 1) + present.get(present.size() / 2)) / 2;
        return show(present.get(0), format) + " / " + show(median, format) + " / " + show(present.get(present.size() - 1), format);
    }

    private static String show(double v, String format) {
        return Double.isInfinite(v) ? "never" : String.format(Locale.ROOT, format, v);
    }

}
