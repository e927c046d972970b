package dev.pgcert.yaml;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line overrides applied to a document's tree before its reader runs. */
class YamlOverrideTest {

    private static final String YAML = """
            name: x
            patroni:
              ttl: 10
              loop_wait: 2
            nodes:
              - name: node1
            """;

    private static YamlMap overridden(String... settings) {
        YamlDocument doc = YamlDocument.parse(YAML, "t.yaml");
        List<YamlOverride> overrides = java.util.Arrays.stream(settings)
                .map(s -> YamlOverride.parse(s, "--set " + s)).toList();
        return doc.overridden(overrides).rootMap().orElseThrow();
    }

    @Test
    void anExistingValueIsReplacedAndLocatedAtTheOverride() {
        YamlMap root = overridden("patroni.ttl=20");
        YamlNode ttl = root.find("patroni", "ttl").orElseThrow();
        assertThat(((YamlScalar) ttl).text()).isEqualTo("20");
        assertThat(ttl.path()).isEqualTo("patroni.ttl");
        assertThat(ttl.location().toString()).isEqualTo("--set patroni.ttl=20");
        // the rest keeps its file position
        assertThat(root.find("patroni", "loop_wait").orElseThrow().location().toString()).isEqualTo("t.yaml:4:14");
    }

    @Test
    void missingMappingsAreCreatedAndAFlowValueKeepsItsStructure() {
        YamlMap root = overridden("router.read_only={check: /replica, max_lag: 2MB}");
        YamlNode lag = root.find("router", "read_only", "max_lag").orElseThrow();
        assertThat(((YamlScalar) lag).text()).isEqualTo("2MB");
        assertThat(lag.path()).isEqualTo("router.read_only.max_lag");
    }

    @Test
    void theOriginalDocumentIsUntouched() {
        YamlDocument doc = YamlDocument.parse(YAML, "t.yaml");
        doc.overridden(List.of(YamlOverride.parse("patroni.ttl=20", "--set"))).rootMap();
        assertThat(((YamlScalar) doc.rootMap().orElseThrow().find("patroni", "ttl").orElseThrow()).text()).isEqualTo("10");
    }

    @Test
    void anUnknownKeyIsRefusedByTheReadersOwnRuleNamingTheOverride() {
        YamlMap root = overridden("patroni.tll=20");
        root.map("patroni").orElseThrow().allowOnly("ttl", "loop_wait");
        assertThat(root.problems().all()).extracting(Problem::format)
                .containsExactly("--set patroni.tll=20: patroni.tll: unknown key 'tll'; did you mean 'ttl'?");
    }

    @Test
    void aPathThroughAListOrAScalarIsAProblem() {
        YamlMap root = overridden("nodes.node1=x", "name.first=y");
        assertThat(root.problems().all()).extracting(Problem::format).containsExactly(
                "--set nodes.node1=x: nodes: is a list in the file; an override sets keys of mappings only",
                "--set name.first=y: name: is 'x' in the file; an override sets keys of mappings only");
    }

    @Test
    void withoutAnEqualsSignOrWithABadKeyItIsUsage() {
        assertThatThrownBy(() -> YamlOverride.parse("patroni.ttl", "--set patroni.ttl"))
                .hasMessage("--set patroni.ttl: expected KEY=VALUE (for example patroni.ttl=20)");
        assertThatThrownBy(() -> YamlOverride.parse("nodes[0].name=x", "--set"))
                .hasMessageContaining("is not a field path");
    }
}
