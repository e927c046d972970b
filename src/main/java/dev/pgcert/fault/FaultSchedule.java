package dev.pgcert.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Faults one after another: wait {@code delay}, start the fault, hold it for {@code hold}, heal it.
 * However the run ends (an exception, an interrupt), every fault it started is healed.
 * The delays and holds are the scenario's own fault windows, not waits for a condition.
 */
public final class FaultSchedule {

    public record Step(Fault fault, Duration delay, Duration hold) {}

    private final List<Step> steps = new ArrayList<>();

    public FaultSchedule then(Fault fault, Duration delay, Duration hold) {
        steps.add(new Step(fault, delay, hold));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public void run(Nemesis nemesis) throws InterruptedException {
        Throwable failure = null;
        try {
            for (Step step : steps) {
                Thread.sleep(step.delay().toMillis());
                nemesis.start(step.fault());
                Thread.sleep(step.hold().toMillis());
                nemesis.heal(step.fault());
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                nemesis.healAll();
            } catch (RuntimeException healFailure) {
                // The first failure tells what went wrong; a failed heal after it rides along.
                if (failure != null) failure.addSuppressed(healFailure);
                else throw healFailure;
            }
        }
    }
}
