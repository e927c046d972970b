package dev.pgcert;

import dev.pgcert.junit.Certification;
import dev.pgcert.junit.ScenarioCatalog;
import dev.pgcert.scenario.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A directory of scenario files as JUnit tests: one test per file, named after the scenario, in the
 * suite its tags name (smoke runs in {@code mvn verify}, nightly with {@code -Pnightly}, experimental with
 * {@code -Pexperimental}), sharing the
 * clusters of one {@link Certification} between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScenarioSuite {
    protected Certification certification;

    /** Where the scenario files are. */
    protected abstract Path directory();

    /** Runs and judges one scenario. */
    protected abstract void verify(Scenario scenario) throws Exception;

    @BeforeAll
    void start() {
        certification = Certification.inTarget();
    }

    @AfterAll
    void stop() {
        certification.close();
    }

    Stream<Arguments> smoke() {
        return tagged("smoke");
    }

    Stream<Arguments> nightly() {
        return tagged("nightly");
    }

    Stream<Arguments> experimental() {
        return tagged("experimental");
    }

    private Stream<Arguments> tagged(String tag) {
        return ScenarioCatalog.tagged(directory(), tag).stream().map(s -> Arguments.of(s.name(), s));
    }

    @Tag("smoke")
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("smoke")
    void smoke(String name, Scenario scenario) throws Exception {
        verify(scenario);
    }

    @Tag("nightly")
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("nightly")
    void nightly(String name, Scenario scenario) throws Exception {
        verify(scenario);
    }

    /** Cases that do not reproduce every time yet: in neither suite, run with {@code -Pexperimental}. */
    @Tag("experimental")
    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("experimental")
    void experimental(String name, Scenario scenario) throws Exception {
        verify(scenario);
    }
}
