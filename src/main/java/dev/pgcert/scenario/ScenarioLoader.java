package dev.pgcert.scenario;

import dev.pgcert.check.Category;
import dev.pgcert.check.Expectation;
import dev.pgcert.check.MetricCatalog;
import dev.pgcert.fault.Fault;
import dev.pgcert.fault.FaultRegistry;
import dev.pgcert.load.LoadSection;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.Problems;
import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import dev.pgcert.yaml.YamlOverride;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scenario file once into a {@link Scenario}, before anything starts: its topology (referenced
 * or inline), its load ({@link LoadSection}), its phases with their faults built (with their final
 * ids), and its expectations parsed and checked for being measurable here ({@link LimitRules}). Every
 * problem of every field comes out at once, as {@code file:line:col: field: message}.
 */
public final class ScenarioLoader {
    static final List<String> KEYS = List.of("name", "description", "tags", "topology", "load", "phases", "expect",
            "expected_outcome");
    static final List<String> PHASE_KEYS = List.of("name", "duration", "inject", "heal", "until", "schedule");

    private ScenarioLoader() {}

    /** @param topologiesDir where a topology given by name ({@code topology: three-node-async}) is looked up */
    public static Scenario load(Path file, Path topologiesDir) {
        return read(YamlDocument.read(file), file, topologiesDir, Optional.empty());
    }

    /**
     * The scenario on another topology ({@code bin/pgcert run --topology FILE}): every rule that depends on the
     * topology (faults, limits naming nodes, the load's bound) is checked against {@code override}, each with
     * the scenario's line.
     */
    public static Scenario load(Path file, Path topologiesDir, Optional<Topology> override) {
        return read(YamlDocument.read(file), file, topologiesDir, override);
    }

    /**
     * The scenario on its own topology with command-line overrides applied before that topology is
     * validated ({@code bin/pgcert compare --baseline bookworm}: {@code stack=bookworm}); a problem an
     * override causes names the override.
     */
    public static Scenario load(Path file, Path topologiesDir, List<YamlOverride> topologyOverrides) {
        return read(YamlDocument.read(file), file, topologiesDir, Optional.empty(), topologyOverrides);
    }

    public static Scenario read(YamlDocument document, Path file, Path topologiesDir) {
        return read(document, file, topologiesDir, Optional.empty());
    }

    public static Scenario read(YamlDocument document, Path file, Path topologiesDir, Optional<Topology> override) {
        return read(document, file, topologiesDir, override, List.of());
    }

    private static Scenario read(YamlDocument document, Path file, Path topologiesDir, Optional<Topology> override,
                                 List<YamlOverride> topologyOverrides) {
        Problems problems = document.problems();
        YamlMap root = document.rootMap().orElse(null);
        if (root == null) {
            problems.throwIfErrors();
            document.root().error("a scenario is a mapping with " + String.join(", ", KEYS));
            problems.throwIfErrors();
        }
        root.allowOnly(KEYS.toArray(String[]::new));
        String name = root.requiredString("name").orElse("?");
        String description = root.string("description").orElse("");
        Set<String> tags = new LinkedHashSet<>();
        root.list("tags").ifPresent(list -> list.items().forEach(t -> t.asString().ifPresent(tags::add)));
        Topology topology = override.isPresent() ? override.get()
                : topology(root, file, topologiesDir, topologyOverrides);
        Optional<LoadSpec> load = root.get("load").isEmpty() ? Optional.of(LoadSpec.defaults())
                : root.map("load").flatMap(LoadSection::read);
        List<String> faultIds = new ArrayList<>(); // of every fault written, also one with mistakes: its limits are not the mistake
        List<Schedule> schedules = new ArrayList<>();
        List<Scenario.Phase> phases = phases(root, topology, faultIds, schedules);
        Optional<LoadSpec> bounded = load.flatMap(l -> bounded(root, l, topology, phases));
        List<Expectation> expectations = expectations(root, new LimitRules(faultIds, topology, load.orElse(null)));
        Optional<Scenario.ExpectedOutcome> outcome = root.map("expected_outcome").map(ScenarioLoader::outcome);
        problems.throwIfErrors();
        return new Scenario(name, description, tags, document.source(), topology, bounded.orElseThrow(), phases,
                expectations, outcome, schedules);
    }

    /** The load with its bound: the user's {@code load.duration} if long enough for the phases, else derived; never replaced. */
    private static Optional<LoadSpec> bounded(YamlMap root, LoadSpec load, Topology topology, List<Scenario.Phase> phases) {
        if (topology == null) {
            return Optional.empty();
        }
        String aimedAt = load.writes() == null ? null : load.writes().node();
        if (aimedAt != null && topology.nodes().stream().noneMatch(n -> n.name().equals(aimedAt))) {
            root.find("load", "writes", "node").orElseThrow().error("no node '" + aimedAt + "' in topology " + topology.name()
                    + " (it has " + String.join(", ", topology.nodes().stream().map(Topology.Node::name).toList()) + ")");
            return Optional.empty();
        }
        LoadBudget budget = LoadBudget.of(topology, phases);
        if (load.duration().isEmpty()) {
            return Optional.of(load.withDuration(budget.derived()));
        }
        Optional<String> problem = budget.problemWith(load.duration().get());
        problem.ifPresent(p -> root.find("load", "duration").orElseThrow().error(p));
        return problem.isPresent() ? Optional.empty() : Optional.of(load);
    }

    private static Topology topology(YamlMap root, Path file, Path topologiesDir, List<YamlOverride> overrides) {
        Optional<YamlNode> node = root.required("topology");
        if (node.isEmpty()) {
            return null;
        }
        if (node.get() instanceof YamlMap inline) {
            return TopologyLoader.readEmbedded(inline, String.valueOf(file), overrides);
        }
        String ref = node.get().asString().orElse("");
        // A file name is relative to the scenario; a bare name (possibly with a folder) is looked up in topologies/.
        Path path = ref.endsWith(".yaml")
                ? file.toAbsolutePath().getParent().resolve(ref)
                : topologiesDir.resolve(ref + ".yaml");
        if (!Files.isRegularFile(path)) {
            node.get().error("no topology '" + ref + "' (looked for " + path + ")");
            return null;
        }
        try {
            return TopologyLoader.load(path, overrides);
        } catch (ValidationException e) {
            node.get().error("topology '" + ref + "' is invalid:\n" + e.getMessage());
            return null;
        }
    }

    private static List<Scenario.Phase> phases(YamlMap root, Topology topology, List<String> faultIds, List<Schedule> schedules) {
        List<Scenario.Phase> phases = new ArrayList<>();
        Optional<YamlList> list = root.required("phases").flatMap(YamlNode::asList);
        if (list.isEmpty()) {
            return phases;
        }
        FaultRegistry registry = FaultRegistry.standard();
        Map<String, Fault> earlier = new LinkedHashMap<>(); // by id: what a later phase's heal may name
        int faultNumber = 0;
        for (YamlNode item : list.get().items()) {
            Optional<YamlMap> phase = item.asMap();
            if (phase.isEmpty()) {
                continue;
            }
            YamlMap p = phase.get();
            p.allowOnly(PHASE_KEYS.toArray(String[]::new));
            String phaseName = p.requiredString("name").orElse("?");
            if (p.has("schedule")) {
                for (String other : List.of("duration", "inject", "heal", "until")) {
                    p.get(other).ifPresent(n -> n.error("a schedule phase times itself (hold, quiet): no " + other + " beside schedule"));
                }
                int first = faultNumber + 1;
                Optional<ScheduleSection.Expanded> expanded = p.map("schedule")
                        .flatMap(block -> ScheduleSection.read(block, phaseName, topology, registry, first));
                if (expanded.isPresent()) {
                    schedules.add(expanded.get().schedule());
                    phases.addAll(expanded.get().phases());
                    expanded.get().faults().forEach(f -> {
                        faultIds.add(f.id());
                        earlier.put(f.id(), f);
                    });
                    faultNumber += expanded.get().faults().size();
                }
                continue;
            }
            Duration duration = p.duration("duration", Duration.ZERO).orElse(Duration.ZERO);
            boolean untilHealthy = p.oneOf("until", List.of("healthy")).isPresent();
            boolean healAll = false;
            List<Fault> heal = new ArrayList<>();
            Optional<YamlNode> healNode = p.get("heal");
            if (healNode.isPresent()) {
                List<YamlNode> ids = healNode.get() instanceof YamlList l ? l.items() : List.of(healNode.get());
                for (YamlNode idNode : ids) {
                    String text = idNode.asString().map(String::strip).orElse("");
                    if (text.equals("true") || text.equals("false")) {
                        healAll |= text.equals("true");
                    } else if (earlier.containsKey(text)) {
                        heal.add(earlier.get(text));
                    } else if (!text.isEmpty()) {
                        idNode.error("unknown fault id '" + text + "'"
                                + Suggestions.closest(text, earlier.keySet()).map(c -> "; did you mean '" + c + "'?")
                                        .orElse(earlier.isEmpty() ? "; no earlier phase injects a fault"
                                                : "; the earlier phases' faults are " + String.join(", ", earlier.keySet()))
                                + " (heal: true heals every fault)");
                    }
                }
            }
            List<Fault> faults = new ArrayList<>();
            Map<String, Duration> healAfter = new LinkedHashMap<>();
            for (YamlNode f : p.list("inject").map(YamlList::items).orElse(List.of())) {
                Optional<YamlMap> spec = f.asMap();
                if (spec.isEmpty()) {
                    continue;
                }
                faultNumber++; // ids count every fault written, so a mistake in one does not renumber the others
                String kind = spec.get().string("kind").orElse("fault");
                String id = spec.get().string("id").map(String::strip).orElse(Scenario.faultId(phaseName, kind, faultNumber));
                if (faultIds.contains(id)) {
                    spec.get().get("id").orElse(f).error("fault id '" + id + "' is taken; each fault needs its own");
                }
                faultIds.add(id);
                Optional<Duration> lasts = spec.get().duration("duration", Duration.ofMillis(1));
                Optional<Fault> fault = registry.create(id, spec.get());
                if (fault.isPresent() && topology != null) {
                    Optional<String> problem = fault.get().problemWith(topology);
                    if (problem.isPresent()) {
                        f.error(problem.get());
                        continue;
                    }
                }
                fault.ifPresent(faults::add);
                fault.ifPresent(x -> lasts.ifPresent(d -> healAfter.put(x.id(), d)));
            }
            if (duration.isZero() && !untilHealthy && faults.isEmpty() && !healAll && heal.isEmpty()) {
                p.error("phase '" + phaseName + "' does nothing: give it a duration, inject, heal or until: healthy");
            }
            phases.add(new Scenario.Phase(phaseName, duration, faults, healAll, untilHealthy, heal, healAfter));
            faults.forEach(x -> earlier.put(x.id(), x));
        }
        return phases;
    }

    private static List<Expectation> expectations(YamlMap root, LimitRules rules) {
        List<Expectation> expectations = new ArrayList<>();
        root.map("expect").ifPresent(expect -> {
            for (YamlMap.Entry e : expect.entries()) {
                Optional<String> limit = e.value().asString();
                Optional<String> problem = rules.problem(e.key());
                if (problem.isPresent()) {
                    expect.problems().error(e.keyLocation(), expect.childPath(e.key()), problem.get());
                    continue;
                }
                try {
                    limit.ifPresent(text -> expectations.add(Expectation.parse(e.key(), text, rules.settings())));
                } catch (RuntimeException ex) {
                    e.value().error(ex.getMessage());
                }
            }
        });
        return expectations;
    }

    private static Scenario.ExpectedOutcome outcome(YamlMap m) {
        m.allowOnly("verdict", "categories");
        boolean pass = m.oneOf("verdict", List.of("pass", "fail")).map("pass"::equals).orElse(true);
        Set<String> categories = new LinkedHashSet<>();
        List<String> known = Arrays.stream(Category.values()).map(Category::label).toList();
        m.list("categories").ifPresent(list -> list.items().forEach(item -> item.asOneOf(known).ifPresent(categories::add)));
        return new Scenario.ExpectedOutcome(pass, categories);
    }
}
