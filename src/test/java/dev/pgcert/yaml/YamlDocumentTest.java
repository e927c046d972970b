package dev.pgcert.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlDocumentTest {

    private static final String TEXT = """
            # a comment
            top:
              child: 1
              list:
                - a
                - {k: v}
            flow: {x: [1, 2]}
            """;

    @Test
    void everyNodeKnowsItsPathLineAndColumn() {
        YamlMap root = YamlDocument.parse(TEXT, "f.yaml").rootMap().orElseThrow();

        YamlNode child = root.find("top", "child").orElseThrow();
        assertThat(child.path()).isEqualTo("top.child");
        assertThat(child.location()).hasToString("f.yaml:3:10");

        YamlList list = root.find("top", "list").orElseThrow().asList().orElseThrow();
        assertThat(list.items().get(0).path()).isEqualTo("top.list[0]");
        assertThat(list.items().get(0).location()).hasToString("f.yaml:5:7");
        YamlNode k = list.items().get(1).asMap().orElseThrow().get("k").orElseThrow();
        assertThat(k.path()).isEqualTo("top.list[1].k");
        assertThat(k.location()).hasToString("f.yaml:6:11");

        YamlNode second = root.find("flow", "x").orElseThrow().asList().orElseThrow().items().get(1);
        assertThat(second.path()).isEqualTo("flow.x[1]");
        assertThat(second.location()).hasToString("f.yaml:7:15");
    }

    @Test
    void scalarsKeepTheirTextNotYamlsGuessAtAType() {
        YamlMap root = YamlDocument.parse("a: on\nb: 007\nc: 1.50\nd:\ne: ~\nf: ''\n", "f").rootMap().orElseThrow();

        assertThat(root.string("a")).contains("on");
        assertThat(root.string("b")).contains("007");
        assertThat(root.string("c")).contains("1.50");
        assertThat(((YamlScalar) root.get("d").orElseThrow()).isNull()).isTrue();
        assertThat(((YamlScalar) root.get("e").orElseThrow()).isNull()).isTrue();
        assertThat(((YamlScalar) root.get("f").orElseThrow()).isNull()).isFalse();
    }

    @Test
    void syntaxErrorsAreOneLineWithTheirPosition() {
        assertThatThrownBy(() -> YamlDocument.parse("a: b\nc: [1, 2\n", "f.yaml"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("f.yaml:3:1: YAML syntax error: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSecondDocumentIsASyntaxError() {
        assertThatThrownBy(() -> YamlDocument.parse("a: 1\n---\nb: 2\n", "f.yaml"))
                .hasMessage("f.yaml:2:1: YAML syntax error: expected a single document in the stream, but found another document");
    }

    @Test
    void duplicateKeysAreReportedAndTheFirstValueKept() {
        YamlDocument doc = YamlDocument.parse("a: 1\nb: 2\na: 3\n", "f.yaml");

        assertThat(doc.rootMap().orElseThrow().string("a")).contains("1");
        assertThat(doc.allProblems()).extracting(Problem::format)
                .containsExactly("f.yaml:3:1: a: duplicate key 'a' (first at line 1)");
    }

    @Test
    void aliasesAreFollowedAndMergeKeysRefused() {
        YamlDocument doc = YamlDocument.parse("base: &b {x: 1}\ncopy: *b\nmerged:\n  <<: *b\n", "f.yaml");
        YamlMap root = doc.rootMap().orElseThrow();

        assertThat(root.find("copy", "x").flatMap(YamlNode::asString)).contains("1");
        assertThat(root.find("copy", "x").orElseThrow().path()).isEqualTo("copy.x");
        assertThat(doc.allProblems()).extracting(Problem::format)
                .containsExactly("f.yaml:4:3: merged: merge keys (<<) are not supported; write the keys out");
    }

    @Test
    void aRecursiveAliasIsAProblemNotAnEndlessLoop() {
        YamlDocument doc = YamlDocument.parse("a: &x\n  - *x\n", "f.yaml");

        assertThat(doc.allProblems()).extracting(Problem::format)
                // SnakeYAML resolves the alias to the anchored node itself, so the position is the anchor's.
                .containsExactly("f.yaml:1:4: a[0]: an alias refers to a node that contains it");
    }

    @Test
    void anEmptyFileOrAListIsNotAMapping() {
        YamlDocument empty = YamlDocument.parse("# only a comment\n", "e.yaml");
        assertThat(empty.rootMap()).isEmpty();
        assertThat(empty.allProblems()).extracting(Problem::format).containsExactly("e.yaml:1:1: the file is empty");

        YamlDocument list = YamlDocument.parse("- a\n", "l.yaml");
        assertThat(list.rootMap()).isEmpty();
        assertThat(list.allProblems()).extracting(Problem::format)
                .containsExactly("l.yaml:1:1: expected a mapping (key: value), got a list");
    }

    @Test
    void readsFilesAndNamesThemAsGiven(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "\uFEFFa: 1\n");
        assertThat(YamlDocument.read(file).rootMap().orElseThrow().string("a")).contains("1");
        assertThat(YamlDocument.read(file).source()).isEqualTo(file.toString());

        Path binary = dir.resolve("bin.yaml");
        Files.write(binary, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> YamlDocument.read(binary)).hasMessage(binary + ": not a UTF-8 text file");

        assertThatThrownBy(() -> YamlDocument.read(dir.resolve("none.yaml")))
                .hasMessage(dir.resolve("none.yaml") + ": no such file");
    }
}
