package dev.pgcert.cli;

import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioLoader;
import dev.pgcert.topology.ProjectLayout;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;

import java.nio.file.Path;
import java.util.List;

/** Scenario files: they name a topology and list phases. */
final class ScenarioFileKind implements FileKind {

    @Override
    public String name() {
        return "scenario";
    }

    @Override
    public String markers() {
        return "a scenario has 'topology' and 'phases'";
    }

    @Override
    public boolean recognizes(YamlMap root) {
        return root.has("phases") || root.has("topology");
    }

    @Override
    public Result validate(YamlDocument document) {
        Scenario s = ScenarioLoader.read(document, Path.of(document.source()), ProjectLayout.topologies());
        String summary = "scenario " + s.name() + " on " + s.topology().name() + ": " + s.phases().size() + " phases, "
                + s.faults().size() + " faults, " + s.expectations().size() + " expectations, load "
                + String.join("+", s.load().workloads().keySet()) + " for at most "
                + dev.pgcert.yaml.Units.formatDuration(s.load().runFor())
                + (s.load().probe().enabled() ? " with the probe" : "")
                + (s.tags().isEmpty() ? "" : ", tags " + s.tags())
                + s.schedules().stream().map(schedule -> ", schedule " + schedule.phase() + " seed " + schedule.seed())
                        .collect(java.util.stream.Collectors.joining());
        List<String> plans = s.schedules().stream().flatMap(schedule -> schedule.describe().lines()).toList();
        return new Result(summary, List.of(), plans);
    }
}
