package dev.pgcert.scenario;

import dev.pgcert.check.Expectation;
import dev.pgcert.fault.Fault;
import dev.pgcert.fault.FaultRegistry;
import dev.pgcert.load.LoadSpec;
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
 * the measured metrics must meet. One value, as in Jepsen, built once: by {@link ScenarioLoader} from
 * a YAML file in {@code scenarios/}, or by the fluent {@link #named(String)} builder. Everything in it
 * is already typed and checked; nothing is parsed again when it runs.
 *
 * @param load         the load, with its bound: the user's {@code load.duration} if long enough, else
 *                     derived from the phases (see {@link LoadBudget}); the runner stops it earlier
 * @param phases       in order, each with its faults already built, with their final ids
 * @param expectations the limits, parsed: {@code failover_time.client < 30s}
 * @param schedules    the random schedules the phases were expanded from, with their seeds and plans
 *                     (already part of {@code phases}; kept to print and replay them)
 */
public record Scenario(String name, String description, Set<String> tags, String source, Topology topology,
                       LoadSpec load, List<Phase> phases, List<Expectation> expectations,
                       Optional<ExpectedOutcome> expectedOutcome, List<Schedule> schedules) {

    /** A scenario without random schedules. */
    public Scenario(String name, String description, Set<String> tags, String source, Topology topology,
                    LoadSpec load, List<Phase> phases, List<Expectation> expectations,
                    Optional<ExpectedOutcome> expectedOutcome) {
        this(name, description, tags, source, topology, load, phases, expectations, expectedOutcome, List.of());
    }

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
        phases = List.copyOf(phases);
        expectations = List.copyOf(expectations);
        schedules = List.copyOf(schedules);
        if (load.duration().isEmpty()) {
            throw new IllegalArgumentException("scenario " + name + ": the load needs its bound (LoadBudget)");
        }
    }

    /**
     * One phase. At its start it heals every fault (if {@code healAll}) or the faults named in {@code heal},
     * and injects its faults (and actions: a switchover, a pause, a config change are steps recorded
     * like faults); then it holds for {@code duration}, or, with {@code untilHealthy}, until the cluster
     * is whole again. A fault with an entry in {@code healAfter} is healed that long after its start,
     * while the phase goes on.
     *
     * @param inject    faults built once, when the scenario was read; each heals back to where it started,
     *                  so a scenario may run again
     * @param heal      faults of earlier phases healed at this phase's start ({@code heal: <fault-id>})
     * @param healAfter by fault id: how long that fault of {@code inject} lasts ({@code duration:} on the fault)
     */
    public record Phase(String name, Duration duration, List<Fault> inject, boolean healAll, boolean untilHealthy,
                        List<Fault> heal, Map<String, Duration> healAfter) {
        public Phase {
            inject = List.copyOf(inject);
            heal = List.copyOf(heal);
            healAfter = Map.copyOf(healAfter);
        }

        public Phase(String name, Duration duration, List<Fault> inject, boolean healAll, boolean untilHealthy) {
            this(name, duration, inject, healAll, untilHealthy, List.of(), Map.of());
        }
    }

    /** Every fault of every phase, in order. */
    public List<Fault> faults() {
        return phases.stream().flatMap(p -> p.inject().stream()).toList();
    }

    /** The id a scenario gives its n-th fault (from 1): {@code <phase>-<kind>-<n>}, e.g. {@code fault-kill-1}. */
    static String faultId(String phase, String kind, int n) {
        return phase + "-" + kind + "-" + n;
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /**
     * Fluent construction for teams that prefer code to YAML; {@link #build()} applies the same checks as
     * a file gets and throws {@link IllegalArgumentException} on the first.
     */
    public static final class Builder {
        private record PendingFault(String kind, Map<String, Object> params) {}
        private record PendingPhase(String name, Duration duration, List<PendingFault> inject, boolean healAll, boolean untilHealthy) {}

        private final String name;
        private String description = "";
        private final Set<String> tags = new LinkedHashSet<>();
        private Topology topology;
        private LoadSpec load = LoadSpec.defaults();
        private final List<PendingPhase> phases = new ArrayList<>();
        private final Map<String, String> expectations = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder describedAs(String text) { description = text; return this; }
        public Builder tagged(String... names) { tags.addAll(List.of(names)); return this; }
        public Builder on(Topology t) { topology = t; return this; }
        /** The load; without a duration (the usual case) it gets one derived from the phases. */
        public Builder withLoad(LoadSpec spec) { load = spec; return this; }
        public Builder warmUp(Duration d) { return phase("warm-up", d, List.of(), false, false); }
        /** A phase named {@code fault} that injects one fault ({@code params} as a scenario file writes them) and holds. */
        public Builder inject(String kind, Map<String, ?> params, Duration hold) {
            return phase("fault", hold, List.of(new PendingFault(kind, new LinkedHashMap<>(params))), false, false);
        }
        public Builder heal(Duration hold) { return phase("heal", hold, List.of(), true, false); }
        public Builder settle() { return phase("settle", Duration.ZERO, List.of(), true, true); }
        public Builder expect(String metric, String limit) { expectations.put(metric, limit); return this; }

        private Builder phase(String phaseName, Duration d, List<PendingFault> faults, boolean heal, boolean until) {
            phases.add(new PendingPhase(phaseName, d, faults, heal, until));
            return this;
        }

        public Scenario build() {
            if (topology == null) {
                throw new IllegalArgumentException("scenario " + name + " needs a topology (on(...))");
            }
            FaultRegistry registry = FaultRegistry.standard();
            List<Phase> built = new ArrayList<>();
            List<String> faultIds = new ArrayList<>();
            for (PendingPhase p : phases) {
                List<Fault> faults = new ArrayList<>();
                for (PendingFault f : p.inject()) {
                    Map<String, Object> spec = new LinkedHashMap<>(f.params());
                    spec.put("kind", f.kind());
                    Fault fault = registry.create(faultId(p.name(), f.kind(), faultIds.size() + 1), spec);
                    fault.problemWith(topology).ifPresent(problem -> {
                        throw new IllegalArgumentException(problem);
                    });
                    faults.add(fault);
                    faultIds.add(fault.id());
                }
                built.add(new Phase(p.name(), p.duration(), faults, p.healAll(), p.untilHealthy()));
            }
            LoadBudget budget = LoadBudget.of(topology, built);
            LoadSpec bounded = load.duration().isEmpty() ? load.withDuration(budget.derived()) : load;
            load.duration().flatMap(budget::problemWith).ifPresent(problem -> {
                throw new IllegalArgumentException("load.duration: " + problem);
            });
            LimitRules rules = new LimitRules(faultIds, topology, bounded);
            List<Expectation> parsed = new ArrayList<>();
            expectations.forEach((metric, limit) -> {
                rules.problem(metric).ifPresent(problem -> {
                    throw new IllegalArgumentException(metric + ": " + problem);
                });
                parsed.add(Expectation.parse(metric, limit, rules.settings()));
            });
            return new Scenario(name, description, tags, "java:" + name, topology, bounded, built, parsed, Optional.empty());
        }
    }
}
