package dev.pgcert.history;

/** A history file line that is not an event; the message names the file and line. */
public class HistoryFormatException extends RuntimeException {
    public HistoryFormatException(String message) {
        super(message);
    }
}
