package dev.pgcert.scenario;

import dev.pgcert.fault.Fault;
import dev.pgcert.fault.FaultException;
import dev.pgcert.fault.FaultRegistry;
import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a phase's {@code schedule:} block and expands it, once, into the phases it runs as:
 *
 * <pre>
 * - name: nemesis
 *   schedule:
 *     seed: 42                 # optional: generated (and printed) when absent
 *     cycles: 10
 *     hold: 5s..15s            # a duration or a range, drawn per cycle from the seed
 *     quiet: 10s..20s
 *     targets: [any]           # default for entries without their own; any = every node and etcd member
 *     faults:
 *       - {kind: kill}
 *       - {kind: partition, from: dcs, targets: [primary, replica]}
 *       - {kind: pause, target: cluster}
 * </pre>
 *
 * Cycle {@code n} becomes phase {@code <name>-n} (inject the drawn fault, hold) and {@code <name>-n-quiet}
 * (heal that fault, quiet). Every entry is built against every target it may draw while the file is
 * read, so a kind or target that cannot work is an error at its line before anything starts.
 */
final class ScheduleSection {
    static final List<String> KEYS = List.of("seed", "cycles", "hold", "quiet", "targets", "faults");
    private static final int MAX_CYCLES = 10_000;

    /** What a schedule phase expands to. */
    record Expanded(Schedule schedule, List<Scenario.Phase> phases, List<Fault> faults) {}

    private ScheduleSection() {}

    /**
     * @param firstFaultNumber the number the schedule's first fault takes in the scenario's ids
     * @return empty when there was a problem (recorded on its node)
     */
    static Optional<Expanded> read(YamlMap block, String phase, Topology topology, FaultRegistry registry, int firstFaultNumber) {
        int errorsBefore = block.problems().errorCount();
        block.allowOnly(KEYS.toArray(String[]::new));
        boolean seedGiven = block.has("seed");
        long seed = seedGiven ? block.longValue("seed", 0, Long.MAX_VALUE).orElse(0L) : Schedule.newSeed();
        int cycles = block.required("cycles").isPresent() ? block.integer("cycles", 1, MAX_CYCLES).orElse(1) : 1;
        DurationRange hold = range(block, "hold", true);
        DurationRange quiet = range(block, "quiet", false);
        List<String> defaultTargets = block.get("targets").map(n -> targets(n, topology)).orElse(List.of("primary"));
        List<Schedule.Choice> choices = new ArrayList<>();
        Optional<YamlList> faults = block.required("faults").flatMap(YamlNode::asList);
        for (YamlNode item : faults.map(YamlList::items).orElse(List.of())) {
            item.asMap().flatMap(entry -> choice(entry, defaultTargets, topology, registry)).ifPresent(choices::add);
        }
        if (faults.isPresent() && faults.get().items().isEmpty()) {
            faults.get().error("give at least one fault to pick from");
        }
        if (block.problems().errorCount() > errorsBefore || choices.isEmpty()) {
            return Optional.empty();
        }
        List<Schedule.Step> steps = new ArrayList<>();
        List<Scenario.Phase> phases = new ArrayList<>();
        List<Fault> built = new ArrayList<>();
        int number = firstFaultNumber;
        for (Schedule.Draw d : Schedule.draw(seed, cycles, choices, hold, quiet)) {
            String cyclePhase = phase + "-" + d.cycle();
            String id = Scenario.faultId(cyclePhase, d.choice().kind(), number++);
            Fault fault = registry.create(id, spec(d.choice(), d.target()));
            built.add(fault);
            steps.add(new Schedule.Step(d.cycle(), d.at(), d.choice().kind(), d.target(), id, d.hold(), d.quiet()));
            phases.add(new Scenario.Phase(cyclePhase, d.hold(), List.of(fault), false, false));
            phases.add(new Scenario.Phase(cyclePhase + "-quiet", d.quiet(), List.of(), false, false, List.of(fault), Map.of()));
        }
        return Optional.of(new Expanded(new Schedule(phase, seed, seedGiven, steps), phases, built));
    }

    private static DurationRange range(YamlMap block, String key, boolean required) {
        Optional<YamlNode> node = required ? block.required(key) : block.get(key);
        Optional<String> text = node.flatMap(YamlNode::asString);
        if (text.isEmpty()) {
            return DurationRange.exactly(Duration.ZERO);
        }
        try {
            return DurationRange.parse(text.get());
        } catch (IllegalArgumentException e) {
            node.get().error(e.getMessage());
            return DurationRange.exactly(Duration.ZERO);
        }
    }

    /**
     * A list of target specs; {@code any} is every node and every etcd member, {@code nodes} every node,
     * {@code etcd-members} every etcd member (by index, so the draw names one).
     */
    static List<String> targets(YamlNode node, Topology topology) {
        Optional<YamlList> list = node.asList();
        if (list.isEmpty()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (YamlNode item : list.get().items()) {
            Optional<String> text = item.asString().map(String::strip);
            if (text.isEmpty()) {
                continue;
            }
            switch (text.get()) {
                case "any" -> {
                    out.addAll(nodes(topology));
                    out.addAll(etcdMembers(topology));
                }
                case "nodes" -> out.addAll(nodes(topology));
                case "etcd-members" -> out.addAll(etcdMembers(topology));
                default -> out.add(text.get());
            }
        }
        if (out.isEmpty()) {
            node.error("give at least one target (a role such as primary or replica, a node, etcd:N, or any)");
        }
        return new ArrayList<>(out);
    }

    private static List<String> nodes(Topology topology) {
        return topology == null ? List.of() : topology.nodes().stream().map(Topology.Node::name).toList();
    }

    private static List<String> etcdMembers(Topology topology) {
        List<String> out = new ArrayList<>();
        for (int i = 1; topology != null && i <= topology.dcs().members(); i++) {
            out.add("etcd:" + i);
        }
        return out;
    }

    /** One entry, built against each target it may draw (so the draw can never pick one that cannot run). */
    private static Optional<Schedule.Choice> choice(YamlMap entry, List<String> defaultTargets, Topology topology, FaultRegistry registry) {
        Optional<String> kind = entry.required("kind").flatMap(YamlNode::asString).map(String::strip);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (!registry.kinds().contains(kind.get())) {
            entry.get("kind").orElseThrow().error("unknown fault kind '" + kind.get() + "'"
                    + dev.pgcert.yaml.Suggestions.closest(kind.get(), registry.kinds()).map(k -> "; did you mean '" + k + "'?")
                            .orElse("; known kinds: " + String.join(", ", registry.kinds())));
            return Optional.empty();
        }
        if (entry.has("target") && entry.has("targets")) {
            entry.error("give target (one) or targets (a list to pick from), not both");
            return Optional.empty();
        }
        if (entry.has("id") || entry.has("duration")) {
            entry.error("a schedule names its faults and times them itself (hold, quiet): no id or duration here");
            return Optional.empty();
        }
        List<String> targets = entry.has("target") ? entry.string("target").map(String::strip).map(List::of).orElse(List.of())
                : entry.get("targets").map(n -> targets(n, topology)).orElse(defaultTargets);
        Map<String, Object> params = new LinkedHashMap<>();
        for (YamlMap.Entry e : entry.entries()) {
            if (!e.key().equals("target") && !e.key().equals("targets")) {
                params.put(e.key(), e.value().plain());
            }
        }
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        Schedule.Choice choice = new Schedule.Choice(kind.get(), params, targets);
        for (String target : targets) {
            try {
                Fault f = registry.create("schedule-check", spec(choice, target));
                if (topology != null) {
                    Optional<String> problem = f.problemWith(topology);
                    if (problem.isPresent()) {
                        entry.error((targets.size() > 1 ? "with target " + target + ": " : "") + problem.get());
                        return Optional.empty();
                    }
                }
            } catch (FaultException e) {
                // The message of a fault built from values names its own document ("fault schedule-check:1:7: "): the entry's line says more.
                entry.error((targets.size() > 1 ? "with target " + target + ": " : "")
                        + e.getMessage().replaceAll("(?m)^(fault schedule-check)?:?\\d+:\\d+:\\s*", ""));
                return Optional.empty();
            }
        }
        return Optional.of(choice);
    }

    private static Map<String, Object> spec(Schedule.Choice choice, String target) {
        Map<String, Object> spec = new LinkedHashMap<>(choice.params());
        if (!target.equals("cluster")) { // the actions on the whole cluster (pause, config) take no target
            spec.put("target", target);
        }
        return spec;
    }
}
