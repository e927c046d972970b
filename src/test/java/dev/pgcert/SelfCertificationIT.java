package dev.pgcert;

import dev.pgcert.check.ExpectationResult;
import dev.pgcert.junit.Certification;
import dev.pgcert.junit.ScenarioCatalog;
import dev.pgcert.scenario.Scenario;
import dev.pgcert.scenario.ScenarioResult;
import io.qameta.allure.Allure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test of the tester: deliberately flawed clusters (scenarios/self-cert) must fail for the
 * right reason, and their corrected twins must pass. A flawed cluster that the harness certifies
 * fails this build.
 */
class SelfCertificationIT {
    private static final Path CASES = Path.of("scenarios", "self-cert");
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
        return ScenarioCatalog.tagged(CASES, "smoke").stream().map(s -> Arguments.of(s.name(), s));
    }

    static Stream<Arguments> nightly() {
        return ScenarioCatalog.tagged(CASES, "nightly").stream().map(s -> Arguments.of(s.name(), s));
    }

    @Tag("smoke")
    @ParameterizedTest(name = "{0}")
    @MethodSource("smoke")
    void smoke(String name, Scenario scenario) throws Exception {
        assertExpectedVerdict(scenario);
    }

    @Tag("nightly")
    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void nightly(String name, Scenario scenario) throws Exception {
        assertExpectedVerdict(scenario);
    }

    private static void assertExpectedVerdict(Scenario scenario) throws Exception {
        Scenario.ExpectedOutcome expected = scenario.expectedOutcome()
                .orElseThrow(() -> new IllegalArgumentException(scenario.source() + ": a self-certification case needs expected_outcome"));
        ScenarioResult result = certification.run(scenario);
        result.expectations().forEach(e -> Allure.step("certification says: " + e.describe()));
        Set<String> missedCategories = result.failures().stream()
                .map(e -> e.category().label()).collect(Collectors.toSet());
        if (expected.pass()) {
            assertThat(result.failures()).as("corrected design %s must be certified", scenario.name()).isEmpty();
        } else {
            assertThat(result.passed()).as("flawed design %s must not be certified", scenario.name()).isFalse();
            assertThat(missedCategories).as("categories of %s's failure", scenario.name())
                    .containsAnyElementsOf(expected.categories());
            result.failures().stream().filter(ExpectationResult::undetermined).findAny().ifPresent(e -> {
                throw new AssertionError("the verdict rests on an undetermined metric: " + e.describe());
            });
        }
    }
}
