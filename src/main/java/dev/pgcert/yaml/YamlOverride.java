package dev.pgcert.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code key.path=value} given on the command line ({@code bin/pgcert compare --candidate-set
 * patroni.ttl=20}), applied to a document's tree before its reader runs, so the value is validated
 * exactly as if the file held it: a wrong value or an unknown key is refused by the same rules, and
 * the message names the override ({@code --candidate-set patroni.tll=20: patroni.tll: unknown key
 * 'tll'; did you mean 'ttl'?}) instead of a line of the file. The value is YAML text ({@code 20},
 * {@code 2s}, {@code {check: /replica, max_lag: 2MB}}); missing mappings on the way are created.
 *
 * @param key    the field path, mapping keys joined by dots ({@code router.check_interval})
 * @param value  the value as YAML text
 * @param source how messages name the override ({@code --candidate-set router.check_interval=2s})
 */
public record YamlOverride(String key, String value, String source) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /**
     * Reads {@code key.path=value}.
     *
     * @throws IllegalArgumentException when there is no '=' or the key is not a dotted path
     */
    public static YamlOverride parse(String argument, String source) {
        int eq = argument.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(source + ": expected KEY=VALUE (for example patroni.ttl=20)");
        }
        String key = argument.substring(0, eq).strip();
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(source + ": '" + key
                    + "' is not a field path (mapping keys joined by dots, such as router.check_interval)");
        }
        return new YamlOverride(key, argument.substring(eq + 1), source);
    }

    /** A copy of {@code root} with every override applied in order; problems go to the root's sink. */
    public static YamlMap apply(YamlMap root, List<YamlOverride> overrides) {
        YamlMap result = root;
        for (YamlOverride o : overrides) {
            result = o.applyTo(result);
        }
        return result;
    }

    private YamlMap applyTo(YamlMap root) {
        Location at = Location.wholeFile(source);
        YamlNode value = valueNode(root.problems(), at);
        return (YamlMap) set(root, List.of(key.split("\\.")), value, at).orElse(root);
    }

    /** The value parsed as YAML, rebuilt under this key's path in the target's sink, located at the override. */
    private YamlNode valueNode(Problems problems, Location at) {
        YamlDocument parsed;
        try {
            parsed = YamlDocument.parse(value, source);
        } catch (ValidationException e) {
            problems.error(at, key, "the value is not valid YAML: "
                    + e.problems().stream().map(Problem::message).findFirst().orElse("?"));
            return new YamlScalar(key, at, problems, "", true);
        }
        return rebase(parsed.root(), key, problems, at);
    }

    private static YamlNode rebase(YamlNode node, String path, Problems problems, Location at) {
        if (node instanceof YamlMap map) {
            List<YamlMap.Entry> entries = new ArrayList<>();
            for (YamlMap.Entry e : map.entries()) {
                String child = path.isEmpty() ? e.key() : path + "." + e.key();
                entries.add(new YamlMap.Entry(e.key(), at, rebase(e.value(), child, problems, at)));
            }
            return new YamlMap(path, at, problems, entries);
        }
        if (node instanceof YamlList list) {
            List<YamlNode> items = new ArrayList<>();
            for (YamlNode item : list.items()) {
                items.add(rebase(item, path + "[" + items.size() + "]", problems, at));
            }
            return new YamlList(path, at, problems, items);
        }
        YamlScalar scalar = (YamlScalar) node;
        return new YamlScalar(path, at, problems, scalar.text(), scalar.isNull());
    }

    /** {@code map} with {@code keys} set to {@code value}; empty (after recording why) when a step is not a mapping. */
    private Optional<YamlNode> set(YamlMap map, List<String> keys, YamlNode value, Location at) {
        String first = keys.get(0);
        List<YamlMap.Entry> entries = new ArrayList<>(map.entries());
        int index = indexOf(entries, first);
        YamlNode replacement;
        if (keys.size() == 1) {
            replacement = value;
        } else {
            YamlNode inner = index < 0 ? new YamlMap(map.childPath(first), at, map.problems(), List.of())
                    : entries.get(index).value();
            if (!(inner instanceof YamlMap innerMap)) {
                map.problems().error(at, map.childPath(first), "is " + inner.describe()
                        + " in the file; an override sets keys of mappings only");
                return Optional.empty();
            }
            Optional<YamlNode> changed = set(innerMap, keys.subList(1, keys.size()), value, at);
            if (changed.isEmpty()) {
                return Optional.empty();
            }
            replacement = changed.get();
        }
        if (index < 0) {
            entries.add(new YamlMap.Entry(first, at, replacement));
        } else {
            YamlMap.Entry old = entries.get(index);
            entries.set(index, new YamlMap.Entry(first, keys.size() == 1 ? at : old.keyLocation(), replacement));
        }
        return Optional.of(new YamlMap(map.path(), map.location(), map.problems(), entries));
    }

    private static int indexOf(List<YamlMap.Entry> entries, String key) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
