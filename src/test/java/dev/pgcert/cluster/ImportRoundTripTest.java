package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.imports.Importer;
import dev.pgcert.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * import -> topology -> the patroni.yml the harness renders: every dynamic setting (bootstrap.dcs) the
 * import reproduced is in the rendered bootstrap.dcs with the same value, and the tags on the node.
 */
class ImportRoundTripTest {

    @Test
    void everyReproducedDynamicSettingReachesTheRenderedPatroniYml() throws Exception {
        for (String set : List.of("consul", "etcd-sync", "patroni-example")) {
            Path dir = Path.of("src/test/resources/import", set);
            Importer importer = new Importer().withPatroni(dir.resolve("patroni.yml"));
            if (Files.exists(dir.resolve("pgbouncer.ini"))) {
                importer.withPgBouncer(dir.resolve("pgbouncer.ini"));
            }
            Importer.Result result = importer.withHaproxy(dir.resolve("haproxy.cfg")).run();
            Topology t = result.topology();
            Topology.Node node = t.nodes().get(t.nodes().size() - 1);
            Map<String, Object> rendered = new Yaml().load(
                    PatroniConfig.render(t, node, List.of("etcd1:2379"), Credentials.generate()));
            Map<?, ?> dcs = (Map<?, ?>) ((Map<?, ?>) rendered.get("bootstrap")).get("dcs");
            Map<String, Object> input = new Yaml().load(Files.readString(dir.resolve("patroni.yml")).replace("\t", " "));
            int checked = 0;
            for (Importer.Kept k : result.kept()) {
                String field = k.field();
                if (field.startsWith("bootstrap.dcs.") && !field.contains("pg_hba")) {
                    Object expected = at(input, field);
                    Object actual = at(Map.of("bootstrap", Map.of("dcs", dcs)), field);
                    boolean partly = result.dropped().stream().anyMatch(d -> d.field().startsWith(field + "["));
                    if (partly) { // a list value of which some items were not reproduced (each has its own comment)
                        assertThat(String.valueOf(expected)).as(set + ": " + field)
                                .contains(String.valueOf(actual).split(","));
                    } else {
                        assertThat(String.valueOf(actual)).as(set + ": " + field).isEqualTo(String.valueOf(expected));
                    }
                    checked++;
                } else if (field.contains("pg_hba")) {
                    assertThat(hbaLines(rendered)).as(set + ": " + field).contains(String.valueOf(at(input, field)).strip());
                    checked++;
                } else if (field.startsWith("tags.")) {
                    Object tag = ((Map<?, ?>) rendered.get("tags")).get(field.substring(5));
                    assertThat(String.valueOf(tag)).as(set + ": " + field).isEqualTo(String.valueOf(at(input, field)));
                    checked++;
                }
            }
            assertThat(checked).as(set).isGreaterThan(3);
        }
    }

    private static List<String> hbaLines(Map<String, Object> rendered) {
        List<String> lines = new ArrayList<>();
        Object local = ((Map<?, ?>) rendered.get("postgresql")).get("pg_hba");
        if (local instanceof List<?> l) {
            l.forEach(x -> lines.add(String.valueOf(x)));
        }
        Object dcsPg = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) rendered.get("bootstrap")).get("dcs")).get("postgresql"));
        if (dcsPg instanceof Map<?, ?> m && m.get("pg_hba") instanceof List<?> l) {
            l.forEach(x -> lines.add(String.valueOf(x)));
        }
        return lines;
    }

    /** The value at a dotted path with [i] indexes. */
    private static Object at(Map<?, ?> root, String path) {
        Object at = root;
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            at = at instanceof Map<?, ?> m ? m.get(key) : null;
            if (bracket >= 0 && at instanceof List<?> l) {
                at = l.get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
            }
        }
        return at;
    }
}
