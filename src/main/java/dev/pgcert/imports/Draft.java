package dev.pgcert.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topology being written: mappings, lists and scalars in output order, each setting with the input
 * line it came from, and the comments that say what was not reproduced and why. It renders to YAML text
 * and remembers which setting each output line holds, so a problem the topology validator reports at a
 * line can be traced back to the setting (and its input line) and that setting taken out with a comment.
 */
final class Draft {

    /** A mapping; {@code notes} are comment lines at the top of its body. */
    static final class MapNode {
        final Map<String, Entry> entries = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();

        Entry put(String key, Object value, String origin) {
            Entry e = new Entry(key, value, origin);
            entries.put(key, e);
            return e;
        }

        MapNode map(String key) {
            Entry e = entries.get(key);
            if (e != null && e.value instanceof MapNode m) {
                return m;
            }
            MapNode m = new MapNode();
            entries.put(key, new Entry(key, m, null));
            return m;
        }

        boolean isEmpty() {
            return entries.isEmpty();
        }
    }

    /** A list; its items are scalars (String) or mappings. */
    static final class ListNode {
        final List<Item> items = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        void add(Object value, String origin) {
            items.add(new Item(value, origin));
        }
    }

    /** A key of a mapping: its value (String, MapNode or ListNode) and where it came from ({@code patroni.yml:12}). */
    static final class Entry {
        final String key;
        final Object value;
        final String origin;
        final List<String> comments = new ArrayList<>();

        Entry(String key, Object value, String origin) {
            this.key = key;
            this.value = value;
            this.origin = origin;
        }
    }

    record Item(Object value, String origin) {}

    /** What an output line holds: the setting, the container it sits in, and its field path in the topology. */
    record Held(Object container, Object element, String path, String origin) {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_./+-]*");
    private static final List<String> AMBIGUOUS = List.of("y", "n", "yes", "no", "on", "off", "null", "~");

    final MapNode root = new MapNode();
    /** Comment lines at the top of the file. */
    final List<String> header = new ArrayList<>();

    private final Map<Integer, Held> lines = new LinkedHashMap<>();

    /** The YAML text; {@link #heldAt} then answers for its lines. */
    String render() {
        lines.clear();
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append("# ").append(h).append('\n'));
        renderMap(root, "", 0, out);
        return out.toString();
    }

    /** The setting written on output line {@code line} of the last {@link #render()}. */
    Optional<Held> heldAt(int line) {
        return Optional.ofNullable(lines.get(line));
    }

    /** Takes the setting out of the draft and puts {@code comment} where it was. */
    static void remove(Held held, String comment) {
        if (held.container() instanceof MapNode m) {
            m.entries.values().remove(held.element());
            m.notes.add(comment);
        } else if (held.container() instanceof ListNode l) {
            l.items.remove(held.element());
            l.notes.add(comment);
        }
    }

    private void renderMap(MapNode map, String path, int indent, StringBuilder out) {
        String pad = " ".repeat(indent);
        map.notes.forEach(n -> out.append(pad).append("# ").append(n).append('\n'));
        for (Entry e : map.entries.values()) {
            String childPath = path.isEmpty() ? e.key : path + "." + e.key;
            e.comments.forEach(c -> out.append(pad).append("# ").append(c).append('\n'));
            lines.put(lineNo(out), new Held(map, e, childPath, e.origin));
            out.append(pad).append(key(e.key)).append(':');
            if (e.value instanceof MapNode m) {
                if (m.isEmpty() && m.notes.isEmpty()) {
                    out.append(" {}\n");
                } else {
                    out.append('\n');
                    renderMap(m, childPath, indent + 2, out);
                    if (m.isEmpty()) {
                        out.append(" ".repeat(indent + 2)).append("{}\n");
                    }
                }
            } else if (e.value instanceof ListNode l) {
                if (l.items.isEmpty() && l.notes.isEmpty()) {
                    out.append(" []\n");
                } else {
                    out.append('\n');
                    renderList(l, childPath, indent + 2, out);
                    if (l.items.isEmpty()) {
                        out.append(" ".repeat(indent + 2)).append("[]\n");
                    }
                }
            } else {
                out.append(' ').append(scalar((String) e.value));
                if (e.origin != null) {
                    out.append("  # ").append(e.origin);
                }
                out.append('\n');
            }
        }
    }

    private void renderList(ListNode list, String path, int indent, StringBuilder out) {
        String pad = " ".repeat(indent);
        list.notes.forEach(n -> out.append(pad).append("# ").append(n).append('\n'));
        for (int i = 0; i < list.items.size(); i++) {
            Item item = list.items.get(i);
            String itemPath = path + "[" + i + "]";
            lines.put(lineNo(out), new Held(list, item, itemPath, item.origin()));
            if (item.value() instanceof MapNode m) {
                // "- " then the mapping's entries, the first on the dash's line.
                StringBuilder body = new StringBuilder();
                Draft sub = new Draft();
                int start = lineNo(out);
                sub.renderMap(m, itemPath, indent + 2, body);
                String text = body.toString();
                String firstLinePad = " ".repeat(indent + 2);
                out.append(pad).append("- ").append(text.startsWith(firstLinePad) ? text.substring(indent + 2) : text);
                sub.lines.forEach((line, held) -> lines.put(start + line - 1, held));
                lines.putIfAbsent(start, new Held(list, item, itemPath, item.origin()));
            } else {
                out.append(pad).append("- ").append(scalar((String) item.value()));
                if (item.origin() != null) {
                    out.append("  # ").append(item.origin());
                }
                out.append('\n');
            }
        }
    }

    private static int lineNo(StringBuilder out) {
        int n = 1;
        for (int i = 0; i < out.length(); i++) {
            if (out.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String key(String key) {
        return PLAIN.matcher(key).matches() && !AMBIGUOUS.contains(key.toLowerCase(java.util.Locale.ROOT)) ? key : quote(key);
    }

    /** A scalar as YAML: plain when that reads back as the same text, double-quoted otherwise. */
    static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !AMBIGUOUS.contains(text.toLowerCase(java.util.Locale.ROOT))) {
            return text;
        }
        return quote(text);
    }

    private static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
