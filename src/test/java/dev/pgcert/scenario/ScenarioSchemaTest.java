package dev.pgcert.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
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

/**
 * docs/schema/scenario.schema.json is the generated one, accepts every shipped scenario (an inline
 * topology through topology.schema.json) and refuses wrong ones. Regenerate with
 * {@code mvn -o test -Dtest=ScenarioSchemaTest -Dpgcert.writeSchema=true}.
 */
class ScenarioSchemaTest {

    private static final Path PUBLISHED = Path.of(ScenarioSchema.FILE);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void thePublishedSchemaIsTheGeneratedOne() throws IOException {
        String generated = ScenarioSchema.generate();
        if (Boolean.getBoolean("pgcert.writeSchema")) {
            Files.writeString(PUBLISHED, generated);
        }
        assertThat(Files.readString(PUBLISHED)).as(PUBLISHED + " is stale: regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    static Stream<Path> shippedScenarios() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("scenarios"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedScenarios")
    void acceptsEveryShippedScenario(Path file) throws IOException {
        assertThat(errors(YAML.readTree(file.toFile()).toString())).as("schema errors in " + file).isEmpty();
    }

    @Test
    void refusesAnUnknownKeyAFaultKindAndAnInlineTopologysUnknownKey() throws IOException {
        assertThat(errors(YAML.readTree("name: x\ntopology: three-node-async\nphases: [{name: a, duration: 1s}]\n"
                + "colour: blue\n").toString())).isNotEmpty();
        assertThat(errors(YAML.readTree("name: x\ntopology: three-node-async\n"
                + "phases: [{name: a, inject: [{kind: meteor-strike}]}]\n").toString())).isNotEmpty();
        assertThat(errors(YAML.readTree("name: x\ntopology: {name: t, nodes: [{name: n1}], patroni: {tll: 10}}\n"
                + "phases: [{name: a, duration: 1s}]\n").toString())).isNotEmpty();
        assertThat(errors(YAML.readTree("name: x\ntopology: {name: t, nodes: [{name: n1}], patroni: {ttl: 10}}\n"
                + "phases: [{name: a, duration: 1s}]\n").toString())).isEmpty();
    }

    /** The two published files, served to the validator from disk under their relative names. */
    private static List<Error> errors(String json) {
        Path dir = PUBLISHED.getParent();
        String base = "https://schema.invalid/";
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemas(iri -> {
            if (!iri.startsWith(base)) {
                return null;
            }
            try {
                return Files.readString(dir.resolve(iri.substring(base.length())));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).getSchema(SchemaLocation.of(base + PUBLISHED.getFileName()));
        return schema.validate(json, com.networknt.schema.InputFormat.JSON);
    }
}
