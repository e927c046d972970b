package dev.pgcert.imports;

import dev.pgcert.imports.Draft.ListNode;
import dev.pgcert.imports.Draft.MapNode;
import dev.pgcert.topology.Stack;
import dev.pgcert.topology.Stacks;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.Problems;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import dev.pgcert.yaml.YamlScalar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code pgcert import}: turns a cluster's real configuration files (one member's patroni.yml, and
 * optionally pgbouncer.ini and haproxy.cfg) into a topology that reproduces every setting it can, with a
 * comment on each one it could not and why. Hosts, addresses, user names and credentials are never copied
 * (and never printed: a comment names a dropped key, never its value).
 *
 * <p>How it decides what the topology takes: the importer maps each input setting to its topology place
 * (bootstrap.dcs keys to {@code patroni:}, PostgreSQL parameters to {@code postgresql:}, tags to a node,
 * [pgbouncer] keys to {@code pgbouncer:}, HAProxy's checks and timeouts to {@code router:}), drops what is
 * host-specific or harness-owned with its own reason, then runs the result through {@link TopologyLoader}:
 * a setting the validator refuses on the chosen stack (unknown there, harness-owned, too new for the
 * stack's version, a value it rejects) is taken out with the validator's message as the comment, and the
 * rest is validated again. Without {@code --stack}, each known stack is tried and the one that keeps the
 * most settings wins (the default stack on a tie).
 */
public final class Importer {

    /** A setting that is not in the topology: where it was in the input, and why. */
    public record Dropped(String origin, String field, String reason) {
        public String format() {
            return origin + ": " + field + ": not reproduced: " + reason;
        }
    }

    /** A setting that is: its input place and its topology field. */
    public record Kept(String origin, String field, String topologyField) {}

    /**
     * The import: the topology's YAML text, the validated topology, the validator's warnings, what was
     * reproduced and what was not.
     */
    public record Result(String yaml, Topology topology, Stack stack, List<Problem> warnings, List<Kept> kept,
                         List<Dropped> dropped) {}

    private Path patroniFile;
    private Path pgbouncerFile;
    private Path haproxyFile;
    private int nodes = 3;
    private String stackName;
    private String outputName = "topology.yaml";

    public Importer withPatroni(Path file) {
        this.patroniFile = file;
        return this;
    }

    public Importer withPgBouncer(Path file) {
        this.pgbouncerFile = file;
        return this;
    }

    public Importer withHaproxy(Path file) {
        this.haproxyFile = file;
        return this;
    }

    public Importer withNodes(int count) {
        if (count < 1 || count > 9) {
            throw new IllegalArgumentException("--nodes must be 1 to 9, got " + count);
        }
        this.nodes = count;
        return this;
    }

    /** The stack to write the topology for; without it every stack is tried. */
    public Importer withStack(String name) {
        this.stackName = name;
        return this;
    }

    /** The output's name in the validator's messages. */
    public Importer withOutputName(String name) {
        this.outputName = name;
        return this;
    }

    /**
     * Reads the files and writes the topology text.
     *
     * @throws ValidationException a malformed input file (each problem with file, line and field), or a
     *                             topology the validator refuses for a reason no single setting explains
     */
    public Result run() {
        if (patroniFile == null) {
            throw new IllegalStateException("no patroni.yml given");
        }
        Inputs inputs = Inputs.read(patroniFile, Optional.ofNullable(pgbouncerFile), Optional.ofNullable(haproxyFile));
        List<Stack> candidates;
        if (stackName != null) {
            Stack chosen = Stacks.byName(stackName).orElseThrow(() -> new IllegalArgumentException(
                    "unknown stack '" + stackName + "' (known: " + String.join(", ", Stacks.names()) + ")"));
            candidates = List.of(chosen);
        } else if (Stacks.override().flatMap(Stacks::byName).isPresent()) {
            candidates = List.of(Stacks.override().flatMap(Stacks::byName).get());
        } else {
            candidates = new ArrayList<>(Stacks.all());
            candidates.sort(Comparator.comparing((Stack s) -> !s.name().equals(Stacks.defaultStack().name())));
        }
        Result best = null;
        ValidationException firstFailure = null;
        for (Stack stack : candidates) {
            try {
                Result r = importFor(inputs, stack, candidates.size() > 1);
                if (best == null || r.dropped().size() < best.dropped().size()) {
                    best = r;
                }
            } catch (ValidationException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (best == null) {
            throw firstFailure;
        }
        return best;
    }

    private Result importFor(Inputs inputs, Stack stack, boolean chosenAmongSeveral) {
        Mapping mapping = new Mapping(inputs, nodes, stack);
        Draft draft = mapping.build();
        // A section of the wrong shape (tags: as a list) was recorded while mapping: the input is malformed.
        inputs.patroni().problems().throwIfErrors();
        draft.header.add("Imported by pgcert import from " + inputs.describe() + ".");
        draft.header.add("Hosts, addresses, user names and credentials are never copied. Each setting that could not");
        draft.header.add("be reproduced has a comment saying why; every other setting names the input line it came from.");
        draft.root.entries.get("stack").comments.add(chosenAmongSeveral
                ? "the stack that keeps the most settings (" + stack.describe() + "); --stack chooses another"
                : stack.describe());
        List<Dropped> dropped = new ArrayList<>(mapping.dropped);
        for (int round = 0; ; round++) {
            String yaml = draft.render();
            TopologyLoader.Loaded loaded;
            try {
                loaded = TopologyLoader.parseWithWarnings(yaml, outputName);
            } catch (ValidationException e) {
                List<Draft.Held> refused = new ArrayList<>();
                List<String> reasons = new ArrayList<>();
                for (Problem p : e.errors()) {
                    Optional<Draft.Held> held = draft.heldAt(p.location().line()).filter(h -> h.origin() != null);
                    if (held.isEmpty() || refused.contains(held.get())) {
                        continue;
                    }
                    refused.add(held.get());
                    reasons.add(p.message());
                }
                if (refused.isEmpty() || round > 50) {
                    throw e;
                }
                for (int i = 0; i < refused.size(); i++) {
                    Draft.Held h = refused.get(i);
                    String origin = h.origin() == null ? outputName : h.origin();
                    String field = mapping.inputField(h);
                    Draft.remove(h, field + " (" + origin + ") not reproduced on stack " + stack.name() + ": "
                            + reasons.get(i));
                    dropped.add(new Dropped(origin, field, reasons.get(i) + " (stack " + stack.name() + ")"));
                }
                continue;
            }
            List<Kept> kept = mapping.kept.stream().filter(k -> yamlHas(draft, k)).toList();
            return new Result(yaml, loaded.topology(), stack, loaded.warnings(), kept, List.copyOf(dropped));
        }
    }

    private static boolean yamlHas(Draft draft, Kept k) {
        Object at = draft.root;
        for (String part : k.topologyField().split("\\.")) {
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            if (!(at instanceof MapNode m) || !m.entries.containsKey(key)) {
                return false;
            }
            at = m.entries.get(key).value;
            if (bracket >= 0) {
                int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                if (!(at instanceof ListNode l) || l.items.size() <= index) {
                    return false;
                }
                at = l.items.get(index).value();
            }
        }
        return true;
    }

    /** The three input files, parsed; a malformed one throws with every problem of every file. */
    record Inputs(YamlDocument patroni, Optional<IniFile> pgbouncer, Optional<String> pgbouncerName,
                  Optional<HaproxyFile> haproxy, Optional<String> haproxyName) {

        static Inputs read(Path patroniFile, Optional<Path> pgbouncerFile, Optional<Path> haproxyFile) {
            List<Problem> problems = new ArrayList<>();
            YamlDocument patroni = null;
            try {
                patroni = YamlDocument.read(patroniFile);
                patroni.rootMap();
            } catch (ValidationException e) {
                problems.addAll(e.problems());
            }
            Problems iniProblems = new Problems();
            Optional<IniFile> ini = pgbouncerFile.flatMap(f -> text(f, problems))
                    .map(t -> IniFile.parse(t, pgbouncerFile.get().toString(), iniProblems));
            Problems cfgProblems = new Problems();
            Optional<HaproxyFile> cfg = haproxyFile.flatMap(f -> text(f, problems))
                    .map(t -> HaproxyFile.parse(t, haproxyFile.get().toString(), cfgProblems));
            ini.ifPresent(i -> i.includes().forEach(at -> cfgProblems.warning(at, "%include",
                    "not followed: the included file's settings are not imported")));
            if (patroni != null) {
                problems.addAll(patroni.problems().all());
            }
            problems.addAll(iniProblems.all());
            problems.addAll(cfgProblems.all());
            if (problems.stream().anyMatch(Problem::isError)) {
                throw new ValidationException(problems);
            }
            Inputs inputs = new Inputs(patroni, ini, pgbouncerFile.map(Path::toString), cfg, haproxyFile.map(Path::toString));
            return inputs;
        }

        String describe() {
            List<String> names = new ArrayList<>();
            names.add(Path.of(patroni.source()).getFileName().toString());
            pgbouncerName.ifPresent(n -> names.add(Path.of(n).getFileName().toString()));
            haproxyName.ifPresent(n -> names.add(Path.of(n).getFileName().toString()));
            return String.join(", ", names);
        }

        private static Optional<String> text(Path file, List<Problem> problems) {
            try {
                return Optional.of(Files.readString(file));
            } catch (IOException e) {
                problems.add(new Problem(Problem.Severity.ERROR, Location.wholeFile(file.toString()), "",
                        Files.exists(file) ? "cannot read: " + e.getClass().getSimpleName() : "no such file"));
                return Optional.empty();
            }
        }
    }

    static String origin(YamlNode node) {
        Location l = node.location();
        return Path.of(l.source()).getFileName() + ":" + l.line();
    }

    static String origin(Location l) {
        return Path.of(l.source()).getFileName() + ":" + l.line();
    }

    /** Patroni reads its booleans with parse_bool (on/off, yes/no, true/false): the topology writes true or false. */
    static String patroniScalar(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "on", "yes", "true" -> "true";
            case "off", "no", "false" -> "false";
            default -> text;
        };
    }

    /** A YAML node as a draft value (text, mapping or list), kept as written. */
    static Object copy(YamlNode node, boolean patroniBooleans) {
        if (node instanceof YamlMap m) {
            MapNode out = new MapNode();
            m.entries().forEach(e -> out.put(e.key(), copy(e.value(), patroniBooleans), origin(e.keyLocation())));
            return out;
        }
        if (node instanceof YamlList l) {
            ListNode out = new ListNode();
            l.items().forEach(i -> out.add(copy(i, patroniBooleans), origin(i)));
            return out;
        }
        String text = ((YamlScalar) node).text();
        return patroniBooleans ? patroniScalar(text) : text;
    }
}
