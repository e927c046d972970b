package dev.pgcert.load;

import com.typesafe.scalalogging.Logger;
import com.typesafe.scalalogging.StrictLogging;
import dev.pgcert.history.Event;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import java.time.Duration;
import scala.Option;

/**
 * A Gatling action, written against Gatling's Scala {@link Action} trait, that hands one operation
 * to its endpoint's {@link Lane} and returns at once: Gatling's event loop never waits on JDBC. When
 * the worker is done, the request is logged to Gatling's stats (so the HTML report shows it; see
 * {@link StatsBuffer}) and the virtual user goes on to its next action.
 */
final class JdbcAction implements Action {

    private final String name;
    private final Operation operation;
    private final Lane lane;
    private final LoadRuntime runtime;
    private final StatsEngine stats;
    private final Clock clock;
    private final Action next;
    private final Duration repeatFor;
    private Logger logger;

    /**
     * @param repeatFor null: one operation per visit (open model); else the user repeats the
     *                  operation until the workload's duration is over (closed model)
     */
    JdbcAction(Operation operation, Duration repeatFor, Lane lane, LoadRuntime runtime, StatsEngine stats, Clock clock,
               Action next) {
        this.name = "pgcert-" + operation.f();
        this.repeatFor = repeatFor;
        this.operation = operation;
        this.lane = lane;
        this.runtime = runtime;
        this.stats = stats;
        this.clock = clock;
        this.next = next;
        StrictLogging.$init$(this); // Scala trait initialiser: sets the logger field
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void execute(Session session) {
        issue(session);
    }

    private void issue(Session session) {
        if (runtime.stopRequested() || (repeatFor != null && !runtime.running(repeatFor))) {
            next.$bang(session); // stopping or over: users Gatling still starts do nothing
            return;
        }
        long start = clock.nowMillis();
        // The user resumes on the worker thread, as Gatling plugins for blocking protocols do (the
        // galaxio JDBC plugin, for one); a closed-model user's next operation then starts on the
        // same worker without a thread hand-over.
        boolean queued = lane.submit(operation, done -> resume(session, start, done));
        if (!queued) {
            log(session, start, new Lane.Done(Event.Type.FAIL, "client backlog full: operation dropped", null));
            next.$bang(session.markAsFailed()); // not repeated: that would spin while the backlog is full
        }
    }

    private void resume(Session session, long start, Lane.Done done) {
        log(session, start, done);
        if (repeatFor != null && runtime.running(repeatFor)) {
            // The loop is here rather than in Gatling's asLongAs, which hands every turn of a loop
            // that stays on one thread over to the event loop: two thread hand-overs per operation.
            issue(session);
        } else {
            next.$bang(done.type() == Event.Type.OK ? session : session.markAsFailed());
        }
    }

    private void log(Session session, long start, Lane.Done done) {
        long end = clock.nowMillis();
        boolean ok = done.type() == Event.Type.OK;
        Option<String> code = Option.apply(ok ? null : done.sqlState() == null ? done.type().name() : done.sqlState());
        Option<String> message = Option.apply(ok ? null : done.type().name() + ": " + done.error());
        if (runtime.bufferingStats()) {
            runtime.stats.add(session.scenario(), session.groups(), operation.f(), start, end, ok ? OK$.MODULE$ : KO$.MODULE$,
                    code, message);
        } else {
            // The run is ending: Gatling may close its stats as soon as the last user is done.
            runtime.stats.flush();
            stats.logResponse(session.scenario(), session.groups(), operation.f(), start, end, ok ? OK$.MODULE$ : KO$.MODULE$,
                    code, message);
        }
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
        this.logger = logger;
    }
}
