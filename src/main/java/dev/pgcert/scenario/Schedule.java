package dev.pgcert.scenario;

import dev.pgcert.yaml.Units;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A random nemesis schedule, as Jepsen's nemesis generator makes one: {@code cycles} times, pick a fault
 * kind and a target at random from the given set, inject it, hold it, heal it and stay quiet. Every
 * choice (kind, target, hold and quiet when they are ranges) comes from one seeded source, drawn when
 * the scenario is read: the same seed gives the same plan, so a failing run replays exactly. The
 * plan is part of the scenario's value ({@link Scenario#schedules()}); the runner prints the seed and
 * the plan in its log, on the history and in the report.
 *
 * @param phase     the schedule's phase name in the file; cycle {@code n} runs as phases {@code <phase>-n}
 *                  (inject, hold) and {@code <phase>-n-quiet} (heal, quiet)
 * @param seed      the seed the plan was drawn from
 * @param seedGiven whether the file gave it (else it was generated when the file was read)
 * @param steps     one per cycle, in order
 */
public record Schedule(String phase, long seed, boolean seedGiven, List<Step> steps) {

    public Schedule {
        steps = List.copyOf(steps);
    }

    /**
     * One cycle: at {@code at} after the schedule's start (as planned: injecting and healing take time of
     * their own), fault {@code faultId} of {@code kind} on {@code target}, held for {@code hold}, then
     * healed and {@code quiet}.
     */
    public record Step(int cycle, Duration at, String kind, String target, String faultId, Duration hold, Duration quiet) {
        public String describe() {
            return String.format("%2d  +%-8s %-14s %-10s hold %-8s quiet %-8s %s", cycle, Units.formatDuration(at), kind, target,
                    Units.formatDuration(hold), Units.formatDuration(quiet), faultId);
        }
    }

    /**
     * One entry of the set a schedule picks from: a fault description (its kind and parameters, without
     * a target) and the targets it may be aimed at.
     */
    public record Choice(String kind, Map<String, Object> params, List<String> targets) {
        public Choice {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(kind + ": no target to pick from");
            }
        }
    }

    /** One drawn cycle before it gets its fault id. */
    public record Draw(int cycle, Duration at, Choice choice, String target, Duration hold, Duration quiet) {}

    /**
     * The plan: {@code cycles} draws from {@code choices}, each kind and target uniformly, hold and quiet
     * uniformly in their ranges. {@link SplittableRandom} is specified to give the same sequence for a seed
     * on every JVM.
     */
    public static List<Draw> draw(long seed, int cycles, List<Choice> choices, DurationRange hold, DurationRange quiet) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one fault to pick from");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Draw> draws = new ArrayList<>();
        Duration at = Duration.ZERO;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            Choice c = choices.get(random.nextInt(choices.size()));
            String target = c.targets().get(random.nextInt(c.targets().size()));
            Duration h = hold.draw(random);
            Duration q = quiet.draw(random);
            draws.add(new Draw(cycle, at, c, target, h, q));
            at = at.plus(h).plus(q);
        }
        return draws;
    }

    /** A seed for a schedule that names none; printed with the plan so the run can be replayed with it. */
    public static long newSeed() {
        return new Random().nextLong() & 0x7fff_ffff_ffffL; // short enough to copy from a log line
    }

    /** The whole plan: seed first, then one line per cycle. */
    public String describe() {
        StringBuilder b = new StringBuilder("schedule " + phase + ": seed " + seed + (seedGiven ? "" : " (generated; add seed: "
                + seed + " to replay)") + ", " + steps.size() + " cycles\n");
        steps.forEach(s -> b.append("  ").append(s.describe()).append('\n'));
        return b.toString();
    }

    /** The total time the plan holds and stays quiet. */
    public Duration length() {
        return steps.stream().map(s -> s.hold().plus(s.quiet())).reduce(Duration.ZERO, Duration::plus);
    }

    public Optional<Step> step(int cycle) {
        return steps.stream().filter(s -> s.cycle() == cycle).findFirst();
    }
}
