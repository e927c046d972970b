package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcert.yaml.ValidationException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in {@code src/test/resources/topologies/bad/} states, in {@code # expect:} comments at its
 * end, the exact problems the loader must report: file, line, column, field path and message.
 */
class BadTopologiesTest {

    private static final String EXPECT = "# expect: ";

    static Stream<Path> badFiles() throws IOException, URISyntaxException {
        Path dir = Path.of(BadTopologiesTest.class.getResource("/topologies/bad").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void reportsExactlyTheExpectedProblems(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> expected = text.lines().filter(l -> l.startsWith(EXPECT))
                .map(l -> l.substring(EXPECT.length())).toList();
        assertThat(expected).as("expectations in " + file.getFileName()).isNotEmpty();

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> TopologyLoader.parse(text, "bad/" + file.getFileName()));

        assertThat(e).as("a ValidationException for " + file.getFileName()).isNotNull();
        assertThat(e.getMessage().lines().toList()).containsExactlyElementsOf(expected);
        assertThat(e.getStackTrace()).as("no stack trace is captured for user errors").isEmpty();
    }
}
