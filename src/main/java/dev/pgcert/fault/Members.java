package dev.pgcert.fault;

import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.Suggestions;

import java.util.List;
import java.util.Optional;

/** The check, while a scenario is read, that a member an action names is one of the topology's nodes. */
final class Members {
    private Members() {}

    static Optional<String> problem(Topology topology, String field, String name) {
        List<String> nodes = topology.nodes().stream().map(Topology.Node::name).toList();
        if (nodes.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(field + ": unknown member '" + name + "'"
                + Suggestions.closest(name, nodes).map(s -> "; did you mean '" + s + "'?").orElse("; the nodes are " + String.join(", ", nodes)));
    }
}
