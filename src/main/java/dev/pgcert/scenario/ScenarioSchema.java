package dev.pgcert.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgcert.check.Category;
import dev.pgcert.fault.FaultRegistry;
import dev.pgcert.json.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of scenario files, generated from the loader's own key lists
 * ({@link ScenarioLoader#KEYS}, the phase keys), the fault kinds of {@link FaultRegistry#standard()}
 * and the categories, with an inline topology checked by {@code topology.schema.json} beside it.
 * Published as {@code docs/schema/scenario.schema.json}; {@code ScenarioSchemaTest} regenerates it and
 * fails if the committed file differs. Shallow where the loader's rules live in other packages: a
 * fault's parameters, the load section and the limits are described, not typed (the validator judges them).
 */
public final class ScenarioSchema {

    public static final String FILE = "docs/schema/scenario.schema.json";

    private ScenarioSchema() {}

    public static String generate() {
        try {
            return Json.MAPPER.writer(new DefaultPrettyPrinter())
                    .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(schema()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> schema() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", Map.of("type", "string", "description", "the scenario's name"));
        props.put("description", Map.of("type", "string"));
        props.put("tags", Map.of("type", "array", "items", Map.of("type", "string")));
        props.put("topology", Map.of("description", "a topology by name (topologies/NAME.yaml), a file relative to "
                        + "the scenario (*.yaml), or the topology inline",
                "anyOf", List.of(Map.of("type", "string"), Map.of("$ref", "topology.schema.json"))));
        props.put("load", Map.of("type", "object", "description", "the load: docs/load.md"));
        FaultRegistry faults = FaultRegistry.standard();
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("type", "object");
        fault.put("required", List.of("kind"));
        fault.put("properties", Map.of("kind", Map.of("enum", List.copyOf(faults.kinds()),
                "description", "the fault or action; its parameters: docs and bin/pgcert validate"),
                "id", Map.of("type", "string", "description", "the name a later phase's heal uses"),
                "duration", Map.of("$ref", "topology.schema.json#/$defs/duration",
                        "description", "healed this long after its start while the phase goes on")));
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("type", "object");
        choice.put("required", List.of("kind"));
        choice.put("properties", Map.of("kind", Map.of("enum", List.copyOf(faults.kinds())),
                "targets", Map.of("type", "array", "items", Map.of("type", "string"))));
        Map<String, Object> scheduleProps = new LinkedHashMap<>();
        scheduleProps.put("seed", Map.of("type", "integer", "minimum", 0, "description", "replays the same plan"));
        scheduleProps.put("cycles", Map.of("type", "integer", "minimum", 1));
        scheduleProps.put("hold", Map.of("type", "string", "description", "a duration or a range: 5s..15s"));
        scheduleProps.put("quiet", Map.of("type", "string", "description", "a duration or a range: 10s..20s"));
        scheduleProps.put("targets", Map.of("type", "array", "items", Map.of("type", "string"),
                "description", "targets to draw from; any, nodes, etcd-members or a target"));
        scheduleProps.put("faults", Map.of("type", "array", "items", choice));
        scheduleProps.keySet().retainAll(ScheduleSection.KEYS);
        Map<String, Object> phaseProps = new LinkedHashMap<>();
        phaseProps.put("name", Map.of("type", "string"));
        phaseProps.put("duration", Map.of("$ref", "topology.schema.json#/$defs/duration"));
        phaseProps.put("inject", Map.of("type", "array", "items", fault));
        phaseProps.put("heal", Map.of("description", "true (every fault), a fault id or a list of ids",
                "anyOf", List.of(Map.of("type", "boolean"), Map.of("type", "string"),
                        Map.of("type", "array", "items", Map.of("type", "string")))));
        phaseProps.put("schedule", Map.of("type", "object", "description", "a random schedule: docs/schedules-and-actions.md",
                "required", List.of("cycles", "hold", "faults"), "properties", scheduleProps, "additionalProperties", false));
        phaseProps.put("until", Map.of("enum", List.of("healthy")));
        phaseProps.keySet().retainAll(ScenarioLoader.PHASE_KEYS);
        ScenarioLoader.PHASE_KEYS.forEach(k -> phaseProps.putIfAbsent(k, Map.of()));
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("type", "object");
        phase.put("required", List.of("name"));
        phase.put("properties", phaseProps);
        phase.put("additionalProperties", false);
        props.put("phases", Map.of("type", "array", "items", phase));
        props.put("expect", Map.of("type", "object", "description", "limits: metric -> condition (docs/metrics)",
                "additionalProperties", Map.of("type", List.of("string", "number", "boolean"))));
        props.put("expected_outcome", Map.of("type", "object", "additionalProperties", false, "properties", Map.of(
                "verdict", Map.of("enum", List.of("pass", "fail")),
                "categories", Map.of("type", "array", "items",
                        Map.of("enum", Arrays.stream(Category.values()).map(Category::label).toList())))));
        props.keySet().retainAll(ScenarioLoader.KEYS);
        for (String key : ScenarioLoader.KEYS) {
            props.putIfAbsent(key, Map.of("description", "see docs"));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "pgcert scenario");
        root.put("description", "A certification scenario for pgcert. Generated by dev.pgcert.scenario.ScenarioSchema;"
                + " do not edit by hand.");
        root.put("type", "object");
        root.put("required", List.of("name", "topology", "phases"));
        root.put("properties", props);
        root.put("additionalProperties", false);
        return root;
    }
}
