package dev.pgcert.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** One kind of client operation: its arguments, how it runs on a pooled connection, and what it records. */
interface Operation {

    /** The history {@code f} (write, read, transfer, balance); also the Gatling request name. */
    String f();

    Endpoint endpoint();

    /** Whether the operation changes data: only then can a failure's outcome be unknown (INFO). */
    boolean mutates();

    /** Picks this attempt's arguments; runs on the worker just before the INVOKE is recorded. */
    Attempt begin();

    /**
     * Runs the attempt and returns the OK value. Throws {@link NotCommitted} when the failure is
     * known to have left no effect, any other {@link SQLException} when that is for
     * {@link Outcomes} to judge.
     */
    Map<String, Object> run(Connection c, Attempt attempt) throws SQLException;

    /** Called after the OK was recorded. */
    default void succeeded(Attempt attempt) {}

    /**
     * One attempt's arguments.
     *
     * @param invoke the INVOKE event's value; FAIL/INFO values repeat it (without the endpoint)
     * @param key    the ledger key a write inserts, the acknowledged max key a read saw, or 0
     */
    record Attempt(Map<String, Object> invoke, long key) {}
}
