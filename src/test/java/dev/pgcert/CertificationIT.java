package dev.pgcert;

import dev.pgcert.junit.Certification;
import dev.pgcert.junit.ScenarioCatalog;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The certification suite: every scenario file in {@code scenarios/} is one test, named after the
 * scenario. {@code mvn verify} runs those tagged smoke; {@code mvn verify -Pnightly} adds those
 * tagged nightly; {@code -Dpgcert.scenario=primary-crash-*} picks scenarios by name.
 */
class CertificationIT {
    private static final Path SCENARIOS = Path.of("scenarios");
    private static Certification certification;

    @BeforeAll
    static void start() {
        certification = Certification.inTarget();
    }

    @AfterAll
    static void stop() {
        certification.close();
    }

    static Stream<Arguments> smoke() {
        return ScenarioCatalog.tagged(SCENARIOS, "smoke").stream().map(s -> Arguments.of(s.name(), s));
    }

    static Stream<Arguments> nightly() {
        return ScenarioCatalog.tagged(SCENARIOS, "nightly").stream().map(s -> Arguments.of(s.name(), s));
    }

    @Tag("smoke")
    @ParameterizedTest(name = "{0}")
    @MethodSource("smoke")
    void smoke(String name, Scenario scenario) throws Exception {
        certify(scenario);
    }

    @Tag("nightly")
    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void nightly(String name, Scenario scenario) throws Exception {
        certify(scenario);
    }

    private static void certify(Scenario scenario) throws Exception {
        ScenarioResult result = certification.run(scenario);
        Certification.assertCertified(result);
    }
}
