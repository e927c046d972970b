package dev.pgcert.fault;

/** A fault could not be built, started or healed; the message says which and why. */
public class FaultException extends RuntimeException {
    public FaultException(String message) {
        super(message);
    }

    public FaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
