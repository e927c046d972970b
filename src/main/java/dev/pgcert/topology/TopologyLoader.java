package dev.pgcert.topology;

import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlOverride;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads topology YAML files (format: docs/topology-format.md) and validates them before anything
 * starts. Every problem is reported at once, each as {@code file:line:column: field.path: message}.
 */
public final class TopologyLoader {

    /** A valid topology and the warnings its file raised (a design that works but is likely a mistake). */
    public record Loaded(Topology topology, List<Problem> warnings) {}

    /** The keys a topology file may have at its top level. */
    public static final List<String> TOP_LEVEL_KEYS = TopologyReader.KEYS;

    private TopologyLoader() {}

    /**
     * Reads and validates a topology file; {@link Topology#source()} is {@code file} as given.
     *
     * @throws ValidationException listing every problem, if the file cannot be read or is invalid
     */
    public static Topology load(Path file) {
        return loadWithWarnings(file).topology();
    }

    /**
     * Validates topology YAML text; {@code sourceName} names it in messages and in {@link Topology#source()}.
     *
     * @throws ValidationException listing every problem, if the text is invalid
     */
    public static Topology parse(String yaml, String sourceName) {
        return parseWithWarnings(yaml, sourceName).topology();
    }

    /**
     * Reads a topology file with command-line overrides applied before validation
     * ({@code bin/pgcert compare --candidate-set patroni.ttl=20}); a problem in an override names it.
     */
    public static Topology load(Path file, List<YamlOverride> overrides) {
        return fromDocument(YamlDocument.read(file).overridden(overrides)).topology();
    }

    /** An inline topology (inside a scenario) with overrides, recorded in the scenario's sink like {@link #readEmbedded}. */
    public static Topology readEmbedded(YamlMap map, String source, List<YamlOverride> overrides) {
        return TopologyReader.read(YamlOverride.apply(map, overrides), source);
    }

    public static Loaded loadWithWarnings(Path file) {
        return fromDocument(YamlDocument.read(file));
    }

    public static Loaded parseWithWarnings(String yaml, String sourceName) {
        return fromDocument(YamlDocument.parse(yaml, sourceName));
    }

    /**
     * Reads a topology from a mapping inside a larger document (a scenario with an inline
     * {@code topology:}), recording problems in that document's sink without throwing, so the caller
     * reports them together with its own. The result is only meaningful if no error was recorded.
     */
    public static Topology readEmbedded(YamlMap map, String source) {
        return TopologyReader.read(map, source);
    }

    /** For callers that parsed the document already (the CLI). */
    public static Loaded fromDocument(YamlDocument document) {
        var topology = TopologyReader.read(document);
        document.problems().throwIfErrors();
        return new Loaded(topology.orElseThrow(), document.problems().warnings());
    }
}
