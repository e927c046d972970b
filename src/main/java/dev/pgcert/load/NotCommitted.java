package dev.pgcert.load;

import java.sql.SQLException;

/** A failure that surely left no effect: a statement of a transaction failed before its COMMIT was sent. */
final class NotCommitted extends SQLException {
    NotCommitted(SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause);
    }

    NotCommitted(String message) {
        super(message);
    }
}
