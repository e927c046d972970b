package dev.pgcert.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopInjectorIf;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Gatling simulation the load's JVM runs: one scenario per enabled workload, plus a control
 * scenario that ends the run early when a stop is requested (after the running operations have
 * completed, so that every INVOKE in the history has its completion).
 *
 * <p>Open profiles inject one user per operation. The closed profile starts N users that each
 * repeat their operation until the workload's duration is over, so a user costs nothing per
 * operation.
 */
public class LoadSimulation extends Simulation {

    /** How often the control scenario looks at the stop flag. */
    private static final Duration CONTROL_TICK = Duration.ofMillis(50);

    private final LoadRuntime runtime = LoadRuntime.get();

    public LoadSimulation() {
        LoadSpec spec = runtime.config.spec();
        List<PopulationBuilder> populations = new ArrayList<>();
        for (Map.Entry<String, LoadSpec.Workload> w : spec.workloads().entrySet()) {
            populations.add(population(w.getKey(), w.getValue(), spec.runFor()));
        }
        Duration longest = spec.longestWorkload();
        ScenarioBuilder control = scenario("control")
                .exec(asLongAs(s -> runtime.running(longest) || (runtime.stopRequested() && !runtime.idle()))
                        .on(pause(CONTROL_TICK)))
                .exec(session -> {
                    runtime.stats.flush(); // before Gatling can close its stats
                    return session;
                })
                .exec(stopInjectorIf("stop requested", s -> runtime.stopRequested()));
        populations.add(control.injectOpen(atOnceUsers(1)));
        // A safety net: the run cannot outlive its longest workload by more than a few operations.
        setUp(populations).maxDuration(longest.plus(spec.pool().worstOperation().multipliedBy(2)).plusSeconds(5));
    }

    private PopulationBuilder population(String name, LoadSpec.Workload workload, Duration specDuration) {
        Operation op = runtime.operation(name);
        Duration d = workload.within(specDuration);
        Profile p = workload.profile();
        if (p instanceof Profile.ClosedUsers u) {
            return scenario(name)
                    .exec(new JdbcActionBuilder(op, d, runtime))
                    .injectClosed(constantConcurrentUsers(u.users()).during(d));
        }
        ScenarioBuilder once = scenario(name).exec(new JdbcActionBuilder(op, null, runtime));
        if (p instanceof Profile.RampRate r) {
            return once.injectOpen(rampUsersPerSec(r.from()).to(r.to()).during(d));
        }
        return once.injectOpen(constantUsersPerSec(((Profile.ConstantRate) p).perSecond()).during(d));
    }

    @Override
    public void before() {
        runtime.start();
    }

    @Override
    public void after() {
        runtime.close();
    }
}
