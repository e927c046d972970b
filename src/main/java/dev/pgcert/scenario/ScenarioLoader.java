package dev.pgcert.scenario;

import dev.pgcert.check.Category;
import dev.pgcert.check.Expectation;
import dev.pgcert.check.MetricCatalog;
import dev.pgcert.fault.FaultRegistry;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.Problems;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import dev.pgcert.yaml.YamlScalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates a scenario file before anything starts: its topology (referenced or inline),
 * load section, fault specs, phases and expectations; every problem with file, line and field.
 */
public final class ScenarioLoader {
    static final List<String> KEYS = List.of("name", "description", "tags", "topology", "load", "phases", "expect",
            "expected_outcome");
    private static final List<String> PHASE_KEYS = List.of("name", "duration", "inject", "heal", "until");

    private ScenarioLoader() {}

    /** @param topologiesDir where a topology given by name ({@code topology: three-node-async}) is looked up */
    public static Scenario load(Path file, Path topologiesDir) {
        return read(YamlDocument.read(file), file, topologiesDir);
    }

    public static Scenario read(YamlDocument document, Path file, Path topologiesDir) {
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
        Topology topology = topology(root, file, topologiesDir);
        Map<String, Object> load = root.map("load").map(m -> plainMap(m)).orElse(Map.of());
        root.get("load").ifPresent(node -> checkLoad(node, load));
        List<Scenario.Phase> phases = phases(root, topology);
        Map<String, String> expectations = expectations(root);
        Optional<Scenario.ExpectedOutcome> outcome = root.map("expected_outcome").map(ScenarioLoader::outcome);
        problems.throwIfErrors();
        return new Scenario(name, description, tags, document.source(), topology, load, phases, expectations, outcome);
    }

    private static Topology topology(YamlMap root, Path file, Path topologiesDir) {
        Optional<YamlNode> node = root.required("topology");
        if (node.isEmpty()) {
            return null;
        }
        if (node.get() instanceof YamlMap inline) {
            return TopologyLoader.readEmbedded(inline, String.valueOf(file));
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
            return TopologyLoader.load(path);
        } catch (ValidationException e) {
            node.get().error("topology '" + ref + "' is invalid:\n" + e.getMessage());
            return null;
        }
    }

    private static void checkLoad(YamlNode node, Map<String, Object> load) {
        try {
            LoadSpec.fromMap(load);
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
        }
    }

    private static List<Scenario.Phase> phases(YamlMap root, Topology topology) {
        List<Scenario.Phase> phases = new ArrayList<>();
        Optional<YamlList> list = root.required("phases").flatMap(YamlNode::asList);
        if (list.isEmpty()) {
            return phases;
        }
        FaultRegistry registry = FaultRegistry.standard();
        int faultNumber = 0;
        for (YamlNode item : list.get().items()) {
            Optional<YamlMap> phase = item.asMap();
            if (phase.isEmpty()) {
                continue;
            }
            YamlMap p = phase.get();
            p.allowOnly(PHASE_KEYS.toArray(String[]::new));
            String phaseName = p.requiredString("name").orElse("?");
            Duration duration = p.duration("duration", Duration.ZERO).orElse(Duration.ZERO);
            boolean heal = p.bool("heal").orElse(false);
            boolean untilHealthy = p.oneOf("until", List.of("healthy")).isPresent();
            List<Scenario.FaultSpec> faults = new ArrayList<>();
            for (YamlNode f : p.list("inject").map(YamlList::items).orElse(List.of())) {
                Optional<YamlMap> spec = f.asMap();
                if (spec.isEmpty()) {
                    continue;
                }
                Map<String, Object> params = plainMap(spec.get());
                try {
                    Optional<String> problem = topology == null ? Optional.empty()
                            : registry.create("check-" + (++faultNumber), params).problemWith(topology);
                    if (problem.isPresent()) {
                        f.error(problem.get());
                        continue;
                    }
                } catch (RuntimeException e) {
                    f.error(e.getMessage());
                    continue;
                }
                String kind = String.valueOf(params.remove("kind"));
                faults.add(new Scenario.FaultSpec(kind, params));
            }
            if (duration.isZero() && !untilHealthy && faults.isEmpty() && !heal) {
                p.error("phase '" + phaseName + "' does nothing: give it a duration, inject, heal or until: healthy");
            }
            phases.add(new Scenario.Phase(phaseName, duration, faults, heal, untilHealthy));
        }
        return phases;
    }

    private static Map<String, String> expectations(YamlMap root) {
        Map<String, String> expectations = new LinkedHashMap<>();
        root.map("expect").ifPresent(expect -> {
            for (YamlMap.Entry e : expect.entries()) {
                String limit = e.value().asString().orElse("");
                Optional<String> unknown = MetricCatalog.problem(e.key());
                if (unknown.isPresent()) {
                    e.value().error(unknown.get());
                    continue;
                }
                try {
                    Expectation.parse(e.key(), limit);
                    expectations.put(e.key(), limit);
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

    /** The YAML as plain maps, lists and strings, for the sections other packages parse. */
    static Map<String, Object> plainMap(YamlMap map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (YamlMap.Entry e : map.entries()) {
            out.put(e.key(), plain(e.value()));
        }
        return out;
    }

    private static Object plain(YamlNode node) {
        if (node instanceof YamlMap m) {
            return plainMap(m);
        }
        if (node instanceof YamlList l) {
            return l.items().stream().map(ScenarioLoader::plain).toList();
        }
        YamlScalar s = (YamlScalar) node;
        return s.isNull() ? null : s.text();
    }
}
