package dev.pgcert.scenario;

import dev.pgcert.fault.Fault;
import dev.pgcert.fault.FaultRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenario's faults, built (and so validated) before any container starts, in phase order. */
final class ScenarioFaults {
    private ScenarioFaults() {}

    static List<Fault> create(Scenario scenario, FaultRegistry registry) {
        List<Fault> faults = new ArrayList<>();
        for (Scenario.Phase phase : scenario.phases()) {
            for (Scenario.FaultSpec spec : phase.inject()) {
                Map<String, Object> full = new LinkedHashMap<>(spec.params());
                full.put("kind", spec.kind());
                faults.add(registry.create(phase.name() + "-" + spec.kind() + "-" + (faults.size() + 1), full));
            }
        }
        return faults;
    }
}
