package dev.pgcert.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems found in one document, so a loader reports all of them at once instead of
 * stopping at the first.
 */
public final class Problems {

    private final List<Problem> found = new ArrayList<>();

    public void error(Location location, String path, String message) {
        found.add(new Problem(Problem.Severity.ERROR, location, path, message));
    }

    public void warning(Location location, String path, String message) {
        found.add(new Problem(Problem.Severity.WARNING, location, path, message));
    }

    /** How many errors so far: a reader compares counts to tell whether its own reads found any. */
    public int errorCount() {
        return (int) found.stream().filter(Problem::isError).count();
    }

    public boolean hasErrors() {
        return found.stream().anyMatch(Problem::isError);
    }

    /** Errors and warnings, in file order (stable for problems at the same position). */
    public List<Problem> all() {
        return found.stream().sorted(Problem.IN_FILE_ORDER).toList();
    }

    public List<Problem> warnings() {
        return all().stream().filter(p -> !p.isError()).toList();
    }

    /** Throws a {@link ValidationException} carrying every problem if any of them is an error. */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new ValidationException(all());
        }
    }
}
