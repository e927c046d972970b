package dev.pgcert.imports;

import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Problems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A haproxy.cfg read into its sections ({@code global}, {@code defaults}, {@code listen NAME},
 * {@code frontend NAME}, {@code backend NAME}, ...) and their directive lines, each with its line, so a
 * problem points at it: {@code haproxy.cfg:21:5: listen primary.default-server: ...}. Only the structure
 * is checked here; what a directive means is the importer's business.
 */
final class HaproxyFile {

    static final List<String> SECTION_KEYWORDS = List.of("global", "defaults", "listen", "frontend", "backend",
            "resolvers", "peers", "userlist", "mailers", "program", "http-errors", "ring", "cache");
    private static final List<String> NAMED = List.of("listen", "frontend", "backend", "resolvers", "peers",
            "userlist", "mailers", "program", "http-errors", "ring", "cache");

    /** One directive: its words (the keyword first) and where it is. */
    record Line(List<String> words, Location location) {
        String keyword() {
            return words.get(0);
        }

        List<String> args() {
            return words.subList(1, words.size());
        }
    }

    /** A section: {@code kind} is its keyword, {@code name} empty for global and an unnamed defaults. */
    record Section(String kind, String name, Location location, List<Line> lines) {
        /** {@code listen primary}, {@code defaults}: the field path of problems about it. */
        String label() {
            return name.isEmpty() ? kind : kind + " " + name;
        }

        /** The directives whose words start with {@code prefix} ({@code "option", "httpchk"}). */
        List<Line> find(String... prefix) {
            return lines.stream().filter(l -> l.words().size() >= prefix.length
                    && l.words().subList(0, prefix.length).equals(Arrays.asList(prefix))).toList();
        }

        Optional<Line> last(String... prefix) {
            List<Line> found = find(prefix);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }
    }

    private final List<Section> sections;

    private HaproxyFile(List<Section> sections) {
        this.sections = sections;
    }

    List<Section> sections() {
        return sections;
    }

    static HaproxyFile parse(String text, String source, Problems problems) {
        List<Section> sections = new ArrayList<>();
        Section current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String withoutComment = stripComment(raw);
            String line = withoutComment.strip();
            if (line.isEmpty()) {
                continue;
            }
            int column = withoutComment.indexOf(line.charAt(0)) + 1;
            Location at = new Location(source, i + 1, column);
            if (line.contains("\"") && line.chars().filter(c -> c == '"').count() % 2 == 1) {
                problems.error(at, current == null ? "" : current.label(), "unterminated double quote");
                continue;
            }
            List<String> words = words(line);
            String keyword = words.get(0);
            if (SECTION_KEYWORDS.contains(keyword)) {
                String name = words.size() > 1 ? words.get(1) : "";
                if (NAMED.contains(keyword) && name.isEmpty()) {
                    problems.error(at, keyword, "a " + keyword + " section needs a name ('" + keyword + " NAME')");
                }
                current = new Section(keyword, name, at, new ArrayList<>());
                sections.add(current);
                continue;
            }
            if (current == null) {
                problems.error(at, keyword, "directive before any section (global, defaults, listen, frontend, backend)");
                continue;
            }
            Line directive = new Line(words, at);
            check(directive, current, problems);
            current.lines().add(directive);
        }
        return new HaproxyFile(sections);
    }

    /** The values HAProxy itself would refuse, in the directives the importer reads. */
    private static void check(Line l, Section section, Problems problems) {
        String field = section.label() + "." + l.keyword();
        if (l.keyword().equals("timeout")) {
            if (l.args().size() < 2) {
                problems.error(l.location(), field, "expected 'timeout KIND TIME' (timeout connect 4s)");
            } else if (duration(l.args().get(1)).isEmpty()) {
                problems.error(l.location(), field + " " + l.args().get(0), "not an HAProxy time: '" + l.args().get(1)
                        + "' (a number, ms by default, or with us, ms, s, m, h, d)");
            }
            return;
        }
        if (!l.keyword().equals("default-server") && !l.keyword().equals("server")) {
            return;
        }
        List<String> args = l.args();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            boolean time = List.of("inter", "fastinter", "downinter").contains(option);
            boolean count = List.of("fall", "rise").contains(option);
            if (!time && !count) {
                continue;
            }
            if (i + 1 >= args.size()) {
                problems.error(l.location(), field + " " + option, "missing value");
                continue;
            }
            String value = args.get(++i);
            if (time && duration(value).isEmpty()) {
                problems.error(l.location(), field + " " + option, "not an HAProxy time: '" + value
                        + "' (a number, ms by default, or with us, ms, s, m, h, d)");
            }
            if (count && !value.matches("[1-9][0-9]*")) {
                problems.error(l.location(), field + " " + option, "expected a positive integer, got '" + value + "'");
            }
        }
    }

    /** A {@code #} starts a comment unless escaped or inside quotes. */
    private static String stripComment(String raw) {
        boolean quoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return raw.substring(0, i);
            }
        }
        return raw;
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * An HAProxy time ({@code 3s}, {@code 500ms}, {@code 30m}; a bare number is milliseconds) in the
     * harness's duration grammar ({@code 3s}, {@code 500ms}, {@code 30m}); empty when it is not one.
     */
    static Optional<String> duration(String value) {
        var m = java.util.regex.Pattern.compile("(\\d+)(us|ms|s|m|h|d)?").matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "us" -> n % 1000 == 0 ? Optional.of(n / 1000 + "ms") : Optional.empty();
            case "d" -> Optional.of(n * 24 + "h");
            default -> Optional.of(n + unit);
        };
    }
}
