package dev.pgcert.yaml;

import java.util.Comparator;

/**
 * One finding about an input file, formatted like a compiler's:
 * {@code topologies/x.yaml:12:5: nodes[1].tags.replicatefrom: no node named 'node9'}.
 *
 * @param path    the field path ({@code nodes[1].tags.replicatefrom}); empty for the document itself
 * @param message what is wrong, short, in the user's terms
 */
public record Problem(Severity severity, Location location, String path, String message) {

    public enum Severity { ERROR, WARNING }

    /** File order: by line, then column; problems without a position first. */
    public static final Comparator<Problem> IN_FILE_ORDER = Comparator
            .comparingInt((Problem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column());

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public String format() {
        StringBuilder line = new StringBuilder().append(location).append(": ");
        if (severity == Severity.WARNING) {
            line.append("warning: ");
        }
        if (!path.isEmpty()) {
            line.append(path).append(": ");
        }
        return line.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
