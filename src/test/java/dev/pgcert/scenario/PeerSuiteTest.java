package dev.pgcert.scenario;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer suite (scenarios/peer/): every file loads, is nightly, names its source (repository, file,
 * case) in its header, asserts something, and is listed in docs/peer-suite.md.
 */
class PeerSuiteTest {
    private static final Path PEER = Path.of("scenarios", "peer");
    private static final Pattern SOURCE = Pattern.compile(
            "^# Ported from (patroni/patroni|cloudnative-pg/cloudnative-pg|jepsen-io/jepsen), [^,]+, case \".+\"", Pattern.MULTILINE);

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(PEER)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void atLeastThirtyCasesEachLoadsNamesItsSourceAndIsNightly() throws IOException {
        List<Path> files = files();
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        String table = Files.readString(Path.of("docs", "peer-suite.md"));
        for (Path file : files) {
            Scenario s = ScenarioLoader.load(file, Path.of("topologies"));
            assertThat(s.tags()).as(file.toString()).contains("nightly", "peer");
            assertThat(s.expectations()).as("%s asserts something", file).isNotEmpty();
            assertThat(SOURCE.matcher(Files.readString(file)).find()).as("%s names its source in its header", file).isTrue();
            assertThat(table).as("docs/peer-suite.md lists %s", file.getFileName()).contains(file.getFileName().toString());
        }
    }
}
