package dev.pgcert.cli;

import dev.pgcert.fault.FaultRegistry;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --topology FILE}: the scenario on another topology. Its faults are checked again against that
 * topology (a link fault needs the link proxied there, a disk fault a sized volume) before anything starts.
 */
final class TopologyOverride {
    private TopologyOverride() {}

    static Scenario apply(Scenario scenario, Topology topology, Path topologyFile) {
        List<Problem> problems = new ArrayList<>();
        FaultRegistry registry = FaultRegistry.standard();
        for (Scenario.Phase phase : scenario.phases()) {
            for (Scenario.FaultSpec spec : phase.inject()) {
                Map<String, Object> full = new LinkedHashMap<>(spec.params());
                full.put("kind", spec.kind());
                Optional<String> problem;
                try {
                    problem = registry.create("check", full).problemWith(topology);
                } catch (RuntimeException e) {
                    problem = Optional.of(e.getMessage());
                }
                problem.ifPresent(p -> problems.add(new Problem(Problem.Severity.ERROR, Location.wholeFile(scenario.source()),
                        "phases." + phase.name() + ".inject." + spec.kind(),
                        p + " (on topology " + topology.name() + " from " + topologyFile + ")")));
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new Scenario(scenario.name(), scenario.description(), scenario.tags(), scenario.source(), topology,
                scenario.load(), scenario.phases(), scenario.expectations(), scenario.expectedOutcome());
    }
}
