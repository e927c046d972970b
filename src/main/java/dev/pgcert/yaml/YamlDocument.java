package dev.pgcert.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One YAML file read into a tree of {@link YamlNode}s that carry their path and line/column, with a
 * {@link Problems} sink shared by the whole tree.
 *
 * <p>Why SnakeYAML's composed nodes rather than Jackson's tree: every node, keys included, keeps its
 * start mark, and duplicate keys and aliases stay visible, so every message can point at a line.
 */
public final class YamlDocument {

    private final String source;
    private final YamlNode root;
    private final Problems problems;

    private YamlDocument(String source, YamlNode root, Problems problems) {
        this.source = source;
        this.root = root;
        this.problems = problems;
    }

    /**
     * Parses {@code text}; {@code source} names it in messages (usually the file path as given).
     *
     * @throws ValidationException on a YAML syntax error, with its position
     */
    public static YamlDocument parse(String text, String source) {
        Problems problems = new Problems();
        String withoutBom = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Node composed;
        try {
            composed = new Yaml(loaderOptions()).compose(new StringReader(withoutBom));
        } catch (MarkedYAMLException e) {
            problems.error(locate(source, e.getProblemMark()), "", syntaxMessage(e));
            throw new ValidationException(problems.all());
        } catch (YAMLException e) {
            problems.error(Location.wholeFile(source), "", "YAML error: " + e.getMessage());
            throw new ValidationException(problems.all());
        }
        YamlNode root = composed == null
                ? new YamlScalar("", new Location(source, 1, 1), problems, "", true)
                : new YamlTreeBuilder(source, problems).build(composed);
        return new YamlDocument(source, root, problems);
    }

    /**
     * A document made from values given in code ({@code Map.of("kind", "kill", "target", "primary")}),
     * so that code and files go through the same typed readers. Values are written as YAML text
     * first: {@code Duration}s and other objects by their {@code toString()}, so pass the text a
     * file would hold ({@code "30s"}).
     */
    public static YamlDocument fromValues(java.util.Map<String, ?> values, String source) {
        org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
        options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        return parse(new Yaml(options).dump(plain(values)), source);
    }

    private static Object plain(Object value) {
        if (value instanceof java.util.Map<?, ?> m) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(YamlDocument::plain).toList();
        }
        return value == null || value instanceof Number || value instanceof Boolean ? value : value.toString();
    }

    /**
     * Reads and parses a UTF-8 file; messages name it by {@code file} as given.
     *
     * @throws ValidationException when the file cannot be read or is not valid YAML
     */
    public static YamlDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fileProblem(file, "no such file");
        } catch (CharacterCodingException e) {
            throw fileProblem(file, "not a UTF-8 text file");
        } catch (IOException e) {
            throw fileProblem(file, "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public String source() {
        return source;
    }

    public YamlNode root() {
        return root;
    }

    public Problems problems() {
        return problems;
    }

    /** The top-level mapping; records a problem if the file is empty or holds something else. */
    public Optional<YamlMap> rootMap() {
        if (root instanceof YamlScalar scalar && scalar.isNull()) {
            root.error("the file is empty");
            return Optional.empty();
        }
        return root.asMap();
    }

    private static ValidationException fileProblem(Path file, String message) {
        Problems problems = new Problems();
        problems.error(Location.wholeFile(file.toString()), "", message);
        return new ValidationException(problems.all());
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50); // no billion-laughs from a config file
        options.setNestingDepthLimit(50);
        options.setProcessComments(false);
        return options;
    }

    static Location locate(String source, Mark mark) {
        return mark == null ? Location.wholeFile(source) : new Location(source, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        String context = e.getContext();
        if (context == null) {
            return "YAML syntax error: " + problem;
        }
        if (problem.startsWith("but ")) { // "expected a single document in the stream", "but found another document"
            return "YAML syntax error: " + context + ", " + problem;
        }
        Mark at = e.getContextMark();
        String where = at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1);
        return "YAML syntax error: " + problem + " (" + context + where + ")";
    }

    /**
     * This document with command-line overrides applied to its top-level mapping ({@link YamlOverride}),
     * sharing its problem sink; unchanged when there are none or the document is not a mapping.
     */
    public YamlDocument overridden(java.util.List<YamlOverride> overrides) {
        if (overrides.isEmpty() || !(root instanceof YamlMap map)) {
            return this;
        }
        return new YamlDocument(source, YamlOverride.apply(map, overrides), problems);
    }

    /** For tests and callers that want the plain list. */
    public List<Problem> allProblems() {
        return problems.all();
    }
}
