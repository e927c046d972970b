package dev.pgcert.scenario;

import dev.pgcert.topology.Topology;
import dev.pgcert.yaml.Units;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long a scenario's load must be able to run: from its start until the runner stops it. The
 * runner waits up to the topology's {@code startup_timeout} for the first acknowledged operation,
 * then runs every phase (a {@code until: healthy} phase waits up to {@code startup_timeout} more),
 * then heals and settles (up to {@code startup_timeout} once more). The load never decides when
 * it ends; this is only its bound, in case the runner dies.
 */
record LoadBudget(Duration firstWrite, Duration phases, int settles, Duration settle) {

    /** Room past the worst case, so that a bound is never what ends a run. */
    static final Duration SPARE = Duration.ofMinutes(1);

    static LoadBudget of(Topology topology, List<Scenario.Phase> phases) {
        Duration fixed = phases.stream().map(Scenario.Phase::duration).reduce(Duration.ZERO, Duration::plus);
        int settles = 1 + (int) phases.stream().filter(Scenario.Phase::untilHealthy).count();
        return new LoadBudget(topology.startupTimeout(), fixed, settles, topology.startupTimeout());
    }

    /** The longest the runner can need the load. */
    Duration needed() {
        return firstWrite.plus(phases).plus(settle.multipliedBy(settles));
    }

    /** The bound a load without {@code duration} gets. */
    Duration derived() {
        return needed().plus(SPARE);
    }

    /** Why a {@code load.duration} the user wrote is too short; empty when it is long enough. */
    Optional<String> problemWith(Duration written) {
        if (written.compareTo(needed()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(Units.formatDuration(written) + " is shorter than this scenario may need the load: "
                + Units.formatDuration(needed()) + " (up to " + Units.formatDuration(firstWrite) + " for the first write, "
                + Units.formatDuration(phases) + " of phases, " + settles + " × up to " + Units.formatDuration(settle)
                + " settling, all from the topology's startup_timeout); leave load.duration out and it is derived");
    }
}
