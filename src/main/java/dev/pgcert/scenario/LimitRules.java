package dev.pgcert.scenario;

import dev.pgcert.check.Checker;
import dev.pgcert.check.Checkers;
import dev.pgcert.check.Expectation;
import dev.pgcert.check.FailoverTimeChecker;
import dev.pgcert.check.MetricCatalog;
import dev.pgcert.check.ReplicaLagChecker;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.Suggestions;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Limits that name a real metric but can never be measured in this scenario: a fault id no phase
 * defines, a node the topology lacks, a bank metric without a bank workload, a read metric without
 * reads. Found when the scenario is read, not as a harness error after a long run.
 *
 * <p>The names follow the checkers: {@code failover_time.by_fault.<fault id>.*} (a fault's id is
 * {@code <phase>-<kind>-<n>}, n counting the scenario's faults from 1), {@code replica_lag.by_replica.<node>.*},
 * {@code replica_lag.by_hop.<upstream>-><replica>.*}.
 *
 * <p>Also the settings of the design a limit may name ({@link #settings()}: {@code "<= ttl + loop_wait + 2s"}).
 */
final class LimitRules {
    private static final String BY_FAULT = FailoverTimeChecker.NAME + ".by_fault.";
    private static final String BY_REPLICA = ReplicaLagChecker.NAME + ".by_replica.";
    private static final String BY_HOP = ReplicaLagChecker.NAME + ".by_hop.";

    private final Collection<String> faultIds;
    private final Topology topology;
    private final LoadSpec load;

    /** @param topology and load may be null when they had errors of their own: their rules are then skipped */
    LimitRules(Collection<String> faultIds, Topology topology, LoadSpec load) {
        this.faultIds = List.copyOf(faultIds);
        this.topology = topology;
        this.load = load;
    }

    /**
     * The settings a limit may name ({@link Expectation#DESIGN_SETTINGS}), in seconds, as the topology's stack
     * really runs them: the topology already holds the values Patroni raises (4.0.7 runs {@code ttl: 10} as 20).
     * Without a topology (it had errors of its own) the names are known but have no value (NaN): such a
     * scenario never runs.
     */
    Map<String, Double> settings() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("ttl", topology == null ? Double.NaN : topology.patroni().ttl());
        s.put("loop_wait", topology == null ? Double.NaN : topology.patroni().loopWait());
        s.put("retry_timeout", topology == null ? Double.NaN : topology.patroni().retryTimeout());
        return Map.copyOf(s);
    }

    /** Why {@code metric} can never be measured here; empty when it can (or when that cannot be told). */
    Optional<String> problem(String metric) {
        Optional<String> unknown = MetricCatalog.problem(metric);
        if (unknown.isPresent()) {
            return unknown;
        }
        String checker = MetricCatalog.checkerOf(metric);
        if (metric.startsWith(BY_FAULT)) {
            return faultProblem(metric.substring(BY_FAULT.length()));
        }
        if (topology != null && metric.startsWith(BY_REPLICA)) {
            return nodeProblem(metric.substring(BY_REPLICA.length()), metric);
        }
        if (topology != null && metric.startsWith(BY_HOP)) {
            String hop = metric.substring(BY_HOP.length());
            int arrow = hop.indexOf("->");
            if (arrow < 0) {
                return Optional.of("a hop is written <upstream>-><replica>, e.g. " + BY_HOP + "node1->node2.max_bytes");
            }
            return nodeProblem(hop.substring(0, arrow) + ".", metric).or(() -> nodeProblem(hop.substring(arrow + 2), metric));
        }
        if (topology != null && checker.equals(dev.pgcert.check.BackupChecker.NAME) && topology.backup().isEmpty()) {
            return Optional.of(metric + " is never measured: topology " + topology.name() + " has no backup: section");
        }
        if (load != null) {
            Optional<Checker> declared = Checkers.byName(checker).filter(c -> !c.appliesTo(load));
            if (declared.isPresent()) {
                return Optional.of(metric + " is never measured: " + declared.get().declaration().notApplicable());
            }
        }
        return Optional.empty();
    }

    /** {@code rest} is {@code <id>.<leaf>} or {@code <id>}; an id may itself hold dots (a phase's name may). */
    private Optional<String> faultProblem(String rest) {
        if (faultIds.stream().anyMatch(id -> rest.equals(id) || rest.startsWith(id + "."))) {
            return Optional.empty();
        }
        String written = rest.contains(".") ? rest.substring(0, rest.lastIndexOf('.')) : rest;
        if (faultIds.isEmpty()) {
            return Optional.of("no fault '" + written + "': this scenario injects no fault");
        }
        return Optional.of("no fault '" + written + "' in this scenario" + Suggestions.didYouMean(written, faultIds)
                + " (its faults: " + String.join(", ", faultIds) + "; an id is <phase>-<kind>-<n>)");
    }

    private Optional<String> nodeProblem(String rest, String metric) {
        List<String> nodes = topology.nodes().stream().map(Topology.Node::name).toList();
        if (nodes.stream().anyMatch(n -> rest.equals(n) || rest.startsWith(n + "."))) {
            return Optional.empty();
        }
        String written = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        return Optional.of("topology " + topology.name() + " has no node '" + written + "'" + Suggestions.didYouMean(written, nodes)
                + " (its nodes: " + String.join(", ", nodes) + ")");
    }
}
