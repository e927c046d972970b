package dev.pgcert.load;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import java.time.Duration;

/** Builds a {@link JdbcAction} for one workload; usable in the Java DSL's {@code exec(...)}. */
final class JdbcActionBuilder implements io.gatling.javaapi.core.ActionBuilder {

    private final Operation operation;
    private final Duration repeatFor;
    private final LoadRuntime runtime;

    /** @param repeatFor null: one operation; else repeat until the workload has run this long */
    JdbcActionBuilder(Operation operation, Duration repeatFor, LoadRuntime runtime) {
        this.operation = operation;
        this.repeatFor = repeatFor;
        this.runtime = runtime;
    }

    @Override
    public io.gatling.core.action.builder.ActionBuilder asScala() {
        return new io.gatling.core.action.builder.ActionBuilder() {
            @Override
            public Action build(ScenarioContext ctx, Action next) {
                runtime.stats.bind(ctx.coreComponents().statsEngine());
                return new JdbcAction(operation, repeatFor, runtime.lane(operation), runtime,
                        ctx.coreComponents().statsEngine(), ctx.coreComponents().clock(), next);
            }
        };
    }
}
