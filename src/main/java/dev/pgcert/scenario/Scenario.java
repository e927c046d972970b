package dev.pgcert.scenario;

import dev.pgcert.topology.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A certification scenario: a topology, a load, phases that inject and heal faults, and the limits
 * the measured metrics must meet. Data, as in Jepsen: a YAML file in {@code scenarios/} or the
 * fluent {@link #named(String)} builder describe the same thing.
 *
 * @param load         the load section as written (keys of dev.pgcert.load.LoadSpec)
 * @param expectations metric name to limit text, e.g. {@code failover_time.client -> "< 30s"}
 */
public record Scenario(String name, String description, Set<String> tags, String source, Topology topology,
                       Map<String, Object> load, List<Phase> phases, Map<String, String> expectations,
                       Optional<ExpectedOutcome> expectedOutcome) {

    /**
     * For the harness's self-certification: the verdict this scenario must get (a deliberately
     * flawed cluster must fail, and in these categories; its corrected twin must pass).
     */
    public record ExpectedOutcome(boolean pass, Set<String> categories) {
        public ExpectedOutcome {
            categories = Set.copyOf(categories);
        }
    }

    public Scenario {
        tags = Set.copyOf(tags);
        load = Map.copyOf(load);
        phases = List.copyOf(phases);
        expectations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expectations));
    }

    /**
     * One phase. At its start it heals every fault (if {@code healAll}) and injects its faults; then it
     * holds for {@code duration}, or, with {@code untilHealthy}, until the cluster is whole again.
     */
    public record Phase(String name, Duration duration, List<FaultSpec> inject, boolean healAll, boolean untilHealthy) {
        public Phase {
            inject = List.copyOf(inject);
        }
    }

    /** A fault to inject: its kind (kill, partition, latency, ...) and parameters (target, ...). */
    public record FaultSpec(String kind, Map<String, Object> params) {
        public FaultSpec {
            params = Map.copyOf(params);
        }
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction for teams that prefer code to YAML. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private final Set<String> tags = new LinkedHashSet<>();
        private Topology topology;
        private final Map<String, Object> load = new LinkedHashMap<>();
        private final List<Phase> phases = new ArrayList<>();
        private final Map<String, String> expectations = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder describedAs(String text) { description = text; return this; }
        public Builder tagged(String... names) { tags.addAll(List.of(names)); return this; }
        public Builder on(Topology t) { topology = t; return this; }
        public Builder withLoad(Map<String, Object> section) { load.putAll(section); return this; }
        public Builder warmUp(Duration d) { phases.add(new Phase("warm-up", d, List.of(), false, false)); return this; }
        public Builder inject(String kind, Map<String, Object> params, Duration hold) {
            phases.add(new Phase("fault", hold, List.of(new FaultSpec(kind, params)), false, false));
            return this;
        }
        public Builder heal(Duration hold) { phases.add(new Phase("heal", hold, List.of(), true, false)); return this; }
        public Builder settle() { phases.add(new Phase("settle", Duration.ZERO, List.of(), true, true)); return this; }
        public Builder phase(Phase p) { phases.add(p); return this; }
        public Builder expect(String metric, String limit) { expectations.put(metric, limit); return this; }

        public Scenario build() {
            if (topology == null) {
                throw new IllegalStateException("scenario " + name + " needs a topology (on(...))");
            }
            return new Scenario(name, description, tags, "java:" + name, topology, load, phases, expectations, Optional.empty());
        }
    }
}
