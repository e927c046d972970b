package dev.pgcert.cli;

import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import java.util.List;

/**
 * A kind of file {@code pgcert validate} knows. The kind is told by the file's top-level keys, so a
 * file can live anywhere. To add one (scenarios), implement this and list it in {@link FileKinds}.
 */
public interface FileKind {

    /** "topology", "scenario": for messages. */
    String name();

    /** The top-level keys that mark this kind, for the message about a file of no known kind. */
    String markers();

    boolean recognizes(YamlMap root);

    /**
     * Validates a parsed document of this kind.
     *
     * @return a one-line summary and the warnings
     * @throws ValidationException with every problem, if invalid
     */
    Result validate(YamlDocument document);

    /** @param details further lines shown under the summary, indented (a random schedule's seed and plan) */
    record Result(String summary, List<Problem> warnings, List<String> details) {
        public Result(String summary, List<Problem> warnings) {
            this(summary, warnings, List.of());
        }
    }
}
