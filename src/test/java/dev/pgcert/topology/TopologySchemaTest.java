package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published JSON Schema is the one the validator's definitions generate, it accepts every shipped
 * and good topology, and it refuses the bad files whose problems a schema can express (unknown keys,
 * wrong types, harness-owned keys, keys the stack's versions lack). Regenerate the file with
 * {@code mvn -o test -Dtest=TopologySchemaTest -Dpgcert.writeSchema=true}.
 */
class TopologySchemaTest {

    private static final Path PUBLISHED = Path.of(TopologySchema.FILE);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void thePublishedSchemaIsTheGeneratedOne() throws IOException {
        String generated = TopologySchema.generate();
        if (Boolean.getBoolean("pgcert.writeSchema")) {
            Files.createDirectories(PUBLISHED.getParent());
            Files.writeString(PUBLISHED, generated);
        }
        assertThat(Files.readString(PUBLISHED))
                .as(PUBLISHED + " is stale: regenerate it with -Dpgcert.writeSchema=true (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    static Stream<Path> acceptedFiles() throws IOException {
        try (Stream<Path> shipped = Files.walk(Path.of("topologies"));
             Stream<Path> good = Files.list(Path.of("src/test/resources/topologies/good"))) {
            return Stream.concat(shipped.toList().stream(), good.toList().stream())
                    .filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedFiles")
    void acceptsEveryShippedAndGoodTopology(Path file) throws IOException {
        assertThat(errors(file)).as("schema errors in " + file).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unknown-keys", "wrong-types", "harness-owned", "versions-bookworm", "settings-types",
            "typos", "quorum-bookworm", "dcs-members", "names"})
    void refusesBadTopologies(String name) throws IOException {
        assertThat(errors(Path.of("src/test/resources/topologies/bad", name + ".yaml"))).isNotEmpty();
    }

    /** The per-stack rules: a Patroni 4 key is refused on bookworm and accepted on trixie. */
    @Test
    void versionRulesFollowTheStack() throws IOException {
        String body = "name: x\n%snodes: [{name: node1, tags: {nostream: true}}]\npatroni: {member_slots_ttl: 10min}\n"
                + "pgbouncer: {max_prepared_statements: 10}\n";
        assertThat(errors(YAML.readTree(body.formatted("stack: trixie\n")))).isEmpty();
        assertThat(errors(YAML.readTree(body.formatted("stack: bookworm\n"))))
                .extracting(Error::toString).anySatisfy(e -> assertThat(e).contains("member_slots_ttl"))
                .anySatisfy(e -> assertThat(e).contains("nostream"))
                .anySatisfy(e -> assertThat(e).contains("max_prepared_statements"));
    }

    private static List<Error> errors(Path file) throws IOException {
        return errors(YAML.readTree(file.toFile()));
    }

    private static List<Error> errors(JsonNode document) throws IOException {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(new ObjectMapper().readTree(TopologySchema.generate()));
        return schema.validate(document);
    }
}
