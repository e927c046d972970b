package dev.pgcert.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An input file is invalid. The message is every problem (errors and warnings), one per line in file
 * order, ready to print as is: callers should show {@link #getMessage()} and no stack trace.
 */
public class ValidationException extends RuntimeException {

    private final List<Problem> problems;

    public ValidationException(List<Problem> problems) {
        super(format(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** All problems, errors and warnings, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    private static String format(List<Problem> problems) {
        return problems.stream().map(Problem::format).collect(Collectors.joining("\n"));
    }
}
