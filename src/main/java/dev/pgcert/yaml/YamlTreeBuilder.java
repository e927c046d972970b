package dev.pgcert.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns SnakeYAML's composed nodes into {@link YamlNode}s with paths, recording structural problems. */
final class YamlTreeBuilder {

    private final String source;
    private final Problems problems;
    // Nodes on the current branch: an alias pointing at one of them would recurse forever.
    private final Set<Node> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());

    YamlTreeBuilder(String source, Problems problems) {
        this.source = source;
        this.problems = problems;
    }

    YamlNode build(Node root) {
        return convert(root, "");
    }

    private YamlNode convert(Node node, String path) {
        Location location = YamlDocument.locate(source, node.getStartMark());
        if (!ancestors.add(node)) {
            problems.error(location, path, "an alias refers to a node that contains it");
            return new YamlScalar(path, location, problems, "", true);
        }
        try {
            if (node instanceof MappingNode mapping) {
                return mapping(mapping, path, location);
            }
            if (node instanceof SequenceNode sequence) {
                List<YamlNode> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    items.add(convert(item, path + "[" + items.size() + "]"));
                }
                return new YamlList(path, location, problems, items);
            }
            ScalarNode scalar = (ScalarNode) node;
            return new YamlScalar(path, location, problems, scalar.getValue(), Tag.NULL.equals(scalar.getTag()));
        } finally {
            ancestors.remove(node);
        }
    }

    private YamlMap mapping(MappingNode mapping, String path, Location location) {
        List<YamlMap.Entry> entries = new ArrayList<>();
        Map<String, Location> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Location keyLocation = YamlDocument.locate(source, keyNode.getStartMark());
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                problems.error(keyLocation, path, "a key must be a plain name, not a list or mapping");
                continue;
            }
            String key = keyScalar.getValue();
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (Tag.MERGE.equals(keyScalar.getTag())) {
                problems.error(keyLocation, path, "merge keys (<<) are not supported; write the keys out");
                continue;
            }
            Location first = seen.putIfAbsent(key, keyLocation);
            if (first != null) {
                problems.error(keyLocation, childPath, "duplicate key '" + key + "' (first at line " + first.line() + ")");
                continue;
            }
            entries.add(new YamlMap.Entry(key, keyLocation, convert(tuple.getValueNode(), childPath)));
        }
        return new YamlMap(path, location, problems, entries);
    }
}
