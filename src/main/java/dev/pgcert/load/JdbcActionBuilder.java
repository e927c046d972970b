package dev.pgcert.load;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;

/** Builds a {@link JdbcAction} for one workload; usable in the Java DSL's {@code exec(...)}. */
final class JdbcActionBuilder implements io.gatling.javaapi.core.ActionBuilder {

    private final Operation operation;
    private final LoadRuntime runtime;

    JdbcActionBuilder(Operation operation, LoadRuntime runtime) {
        this.operation = operation;
        this.runtime = runtime;
    }

    @Override
    public io.gatling.core.action.builder.ActionBuilder asScala() {
        return new io.gatling.core.action.builder.ActionBuilder() {
            @Override
            public Action build(ScenarioContext ctx, Action next) {
                runtime.stats.bind(ctx.coreComponents().statsEngine());
                return new JdbcAction(operation, runtime.lane(operation.endpoint()), runtime,
                        ctx.coreComponents().statsEngine(), ctx.coreComponents().clock(), next);
            }
        };
    }
}
