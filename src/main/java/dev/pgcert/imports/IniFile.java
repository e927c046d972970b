package dev.pgcert.imports;

import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ini file as PgBouncer reads it ({@code pgbouncer.ini}): {@code [section]} headers, {@code key = value}
 * lines, comments starting with {@code ;} or {@code #}. Each entry keeps its line, so a problem points at
 * it: {@code pgbouncer.ini:12:1: pgbouncer.pool_mode: ...}. Malformed lines are recorded in the
 * {@link Problems} given, not thrown, so every one of them is reported at once.
 */
final class IniFile {

    /** One {@code key = value} line. */
    record Entry(String section, String key, String value, Location location, Location valueLocation) {
        /** {@code section.key}, the field path of problems about it. */
        String path() {
            return section + "." + key;
        }
    }

    /** A {@code [section]} and its entries in file order (a repeated key: the last one counts, as in PgBouncer). */
    record Section(String name, Location location, Map<String, Entry> entries) {}

    private final Map<String, Section> sections;
    private final List<Location> includes;

    private IniFile(Map<String, Section> sections, List<Location> includes) {
        this.sections = sections;
        this.includes = includes;
    }

    Optional<Section> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    List<Section> sections() {
        return List.copyOf(sections.values());
    }

    /** Where {@code %include} lines are (PgBouncer reads another file there; the importer does not follow them). */
    List<Location> includes() {
        return includes;
    }

    static IniFile parse(String text, String source, Problems problems) {
        Map<String, Section> sections = new LinkedHashMap<>();
        List<Location> includes = new ArrayList<>();
        Section current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int lineNo = i + 1;
            String line = raw.strip();
            int column = raw.indexOf(line.isEmpty() ? " " : line.substring(0, 1)) + 1;
            Location at = new Location(source, lineNo, Math.max(column, 1));
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("%include")) {
                includes.add(at);
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                String name = close < 0 ? line.substring(1).strip() : line.substring(1, close).strip();
                if (close < 0) {
                    problems.error(at, name, "section header without ']' (write [" + name + "])");
                    // Read on as that section, so its lines are checked and not each reported as outside one.
                    current = name.isEmpty() ? null
                            : sections.computeIfAbsent(name, n -> new Section(n, at, new LinkedHashMap<>()));
                    continue;
                }
                String after = line.substring(close + 1).strip();
                if (!after.isEmpty() && !after.startsWith(";") && !after.startsWith("#")) {
                    problems.error(at, name, "unexpected text after the section header: '" + after + "'");
                }
                if (name.isEmpty()) {
                    problems.error(at, "", "empty section name '[]'");
                    current = null;
                    continue;
                }
                current = sections.computeIfAbsent(name, n -> new Section(n, at, new LinkedHashMap<>()));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                problems.error(at, current == null ? "" : current.name(),
                        "expected 'key = value' or a [section] header (the line is not shown: it may hold a password)");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty()) {
                problems.error(at, current == null ? "" : current.name(), "a line with a value but no key");
                continue;
            }
            if (current == null) {
                problems.error(at, key, "setting before any [section] header");
                continue;
            }
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            int valueColumn = raw.indexOf('=') + 2 + (line.substring(eq + 1).length() - line.substring(eq + 1).stripLeading().length());
            Location valueAt = new Location(source, lineNo, Math.max(valueColumn, 1));
            Entry entry = new Entry(current.name(), key, value, at, valueAt);
            Entry earlier = current.entries().remove(key);
            if (earlier != null) {
                problems.warning(at, entry.path(), "set twice (also line " + earlier.location().line()
                        + "); PgBouncer uses this one");
            }
            current.entries().put(key, entry);
        }
        return new IniFile(sections, includes);
    }
}
