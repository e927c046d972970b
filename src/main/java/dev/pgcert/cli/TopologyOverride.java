package dev.pgcert.cli;

import dev.pgcert.fault.Fault;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --topology FILE}: the scenario on another topology. Its faults are checked again against that
 * topology (a link fault needs the link proxied there, a disk fault a sized volume) before anything starts.
 * Limits naming nodes ({@code by_replica.*}) were checked against the scenario's own topology only; a
 * loader that takes the override (ScenarioLoader) would check those too, with their lines.
 */
final class TopologyOverride {
    private TopologyOverride() {}

    static Scenario apply(Scenario scenario, Topology topology, Path topologyFile) {
        List<Problem> problems = new ArrayList<>();
        for (Scenario.Phase phase : scenario.phases()) {
            for (Fault fault : phase.inject()) {
                Optional<String> problem;
                try {
                    problem = fault.problemWith(topology);
                } catch (RuntimeException e) {
                    problem = Optional.of(e.getMessage());
                }
                problem.ifPresent(p -> problems.add(new Problem(Problem.Severity.ERROR, Location.wholeFile(scenario.source()),
                        "phases." + phase.name() + ".inject." + fault.id(),
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
