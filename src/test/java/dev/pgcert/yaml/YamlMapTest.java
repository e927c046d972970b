package dev.pgcert.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed getters: a value that does not fit gives empty plus one problem at the value. */
class YamlMapTest {

    private static YamlMap map(String yaml) {
        return YamlDocument.parse(yaml, "f").rootMap().orElseThrow();
    }

    private static List<String> problems(YamlMap map) {
        return map.problems().all().stream().map(Problem::format).toList();
    }

    @Test
    void goodValues() {
        YamlMap m = map("i: 42\nb: TRUE\ns: 16MB\nd: 1.5s\ne: transaction\nl: [1]\n");

        assertThat(m.integer("i", 0, 100)).contains(42);
        assertThat(m.bool("b")).contains(true);
        assertThat(m.size("s", 0)).contains(16L << 20);
        assertThat(m.duration("d", Duration.ZERO)).contains(Duration.ofMillis(1500));
        assertThat(m.oneOf("e", List.of("session", "transaction"))).contains("transaction");
        assertThat(m.list("l").orElseThrow().size()).isEqualTo(1);
        assertThat(m.integer("absent", 0, 1)).isEmpty();
        assertThat(problems(m)).isEmpty();
    }

    @Test
    void badValuesAreReportedWhereTheyAre() {
        YamlMap m = map("i: 101\nb: no\ns: 16XB\nd: 10\ne: sesion\nn:\nm: [1]\n");

        assertThat(m.integer("i", 0, 100)).isEmpty();
        assertThat(m.bool("b")).isEmpty();
        assertThat(m.size("s", 0)).isEmpty();
        assertThat(m.duration("d", Duration.ZERO)).isEmpty();
        assertThat(m.oneOf("e", List.of("session", "transaction"))).isEmpty();
        assertThat(m.integer("n", 0, 1)).isEmpty();
        assertThat(m.map("m")).isEmpty();

        assertThat(problems(m)).containsExactly(
                "f:1:4: i: must be at most 100, got 101",
                "f:2:4: b: expected true or false, got 'no'",
                "f:3:4: s: expected a size such as 16MB, 1GiB or a number of bytes, got '16XB'",
                "f:4:4: d: 10 has no unit: write 10s (or 500ms, 2m, 1h)",
                "f:5:4: e: expected one of session, transaction, got 'sesion'; did you mean 'session'?",
                "f:6:3: n: expected an integer, got an empty value",
                "f:7:4: m: expected a mapping (key: value), got a list");
    }

    @Test
    void unknownKeysPointAtTheKeyWithASuggestionOrTheAllowedList() {
        YamlMap m = map("inner:\n  ttll: 1\n  zzz: 2\n  ok: 3\n");
        YamlMap inner = m.map("inner").orElseThrow();

        inner.allowOnly("ttl", "ok");

        assertThat(problems(m)).containsExactly(
                "f:2:3: inner.ttll: unknown key 'ttll'; did you mean 'ttl'?",
                "f:3:3: inner.zzz: unknown key 'zzz' (expected one of: ttl, ok)");
    }

    @Test
    void aMissingRequiredKeyIsReportedAtItsMapping() {
        YamlMap m = map("outer:\n  inner:\n    a: 1\n");

        assertThat(m.find("outer", "inner").orElseThrow().asMap().orElseThrow().requiredString("name")).isEmpty();
        assertThat(problems(m)).containsExactly("f:3:5: outer.inner.name: required field is missing");
    }
}
