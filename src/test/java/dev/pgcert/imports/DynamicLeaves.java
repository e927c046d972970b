package dev.pgcert.imports;

import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The leaf settings under a patroni.yml's bootstrap.dcs, as paths (bootstrap.dcs.postgresql.parameters.work_mem). */
public final class DynamicLeaves {
    private DynamicLeaves() {}

    public static List<String> of(Path patroniYml) {
        List<String> leaves = new ArrayList<>();
        YamlDocument.read(patroniYml).rootMap().flatMap(m -> m.find("bootstrap", "dcs"))
                .ifPresent(dcs -> walk(dcs, "bootstrap.dcs", leaves));
        return leaves;
    }

    private static void walk(YamlNode node, String path, List<String> out) {
        if (node instanceof YamlMap m && !m.keys().isEmpty()) {
            m.entries().forEach(e -> walk(e.value(), path + "." + e.key(), out));
        } else if (node instanceof YamlList l && l.size() > 0) {
            for (int i = 0; i < l.size(); i++) {
                walk(l.items().get(i), path + "[" + i + "]", out);
            }
        } else if (!(node instanceof dev.pgcert.yaml.YamlScalar s && s.isNull())) {
            out.add(path);
        }
    }
}
