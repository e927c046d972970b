package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Decides whether a failed write surely did not take effect (FAIL) or might have (INFO).
 *
 * <p>The rule: a server that answers with an error has aborted the statement's transaction, so the
 * error is definite, except for the codes a server sends when it ends the session on its own
 * (shutdown, crash), which can arrive after a commit was already durable (for example while a
 * commit waits for a synchronous standby). A connection that breaks after the statement was sent
 * (class 08, I/O errors, socket timeouts) leaves the outcome unknown. A statement that was never
 * sent (no connection) is definite.
 */
final class Outcomes {

    /** Error classes whose statement surely rolled back. */
    private static final Set<String> DEFINITE_CLASSES = Set.of(
            "0A", // feature not supported
            "21", // cardinality violation
            "22", // data exception
            "23", // integrity constraint violation (duplicate key ...)
            "25", // invalid transaction state (25006 read-only transaction: a standby)
            "26", "28", // invalid statement name, invalid authorization
            "2B", "2D", "34", "3B", "3D", "3F",
            "40", // transaction rollback (serialization failure, deadlock)
            "42", // syntax error or access rule violation
            "44",
            "53", // insufficient resources (disk full, too many connections)
            "54", // program limit exceeded
            "55", // object not in prerequisite state
            "P0");

    /** Single codes, outside the classes above, that are definite. */
    private static final Set<String> DEFINITE_CODES = Set.of(
            "08001", // unable to establish a connection: nothing was sent
            "08004", // server rejected the connection
            "57014", // query canceled: the statement was aborted
            "57P03"); // cannot connect now (starting up, in recovery): nothing was sent

    private Outcomes() {}

    /**
     * The completion type for a write that failed with {@code e} after it may have been sent.
     * Statements known not to have been sent (no connection, or an earlier statement of the same
     * transaction failed) are FAIL without asking.
     */
    static Event.Type ofSentWrite(SQLException e) {
        String state = sqlState(e);
        if (state != null && state.length() == 5) {
            if (DEFINITE_CODES.contains(state) || DEFINITE_CLASSES.contains(state.substring(0, 2))) {
                return Event.Type.FAIL;
            }
        }
        return Event.Type.INFO;
    }

    /** The first SQLState in the exception chain, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /** A one-line error text: the exception's message, and the I/O cause's if there is one. */
    static String describe(Throwable e) {
        String msg = firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return msg + " (" + t.getClass().getSimpleName() + ": " + firstLine(String.valueOf(t.getMessage())) + ")";
            }
        }
        return msg;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
