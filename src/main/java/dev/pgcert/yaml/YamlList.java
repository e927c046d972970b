package dev.pgcert.yaml;

import java.util.List;

/** A YAML sequence; its items have paths {@code parent[0]}, {@code parent[1]}, ... */
public final class YamlList extends YamlNode {

    private final List<YamlNode> items;

    YamlList(String path, Location location, Problems problems, List<YamlNode> items) {
        super(path, location, problems);
        this.items = List.copyOf(items);
    }

    public List<YamlNode> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    @Override
    public String describe() {
        return "a list";
    }
}
