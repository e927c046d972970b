package dev.pgcert;

import dev.pgcert.junit.Certification;
import dev.pgcert.scenario.Scenario;

import java.nio.file.Path;

/**
 * The certification suite: every scenario file in {@code scenarios/} is one test, named after the
 * scenario. {@code mvn verify} runs those tagged smoke; {@code mvn verify -Pnightly} adds those
 * tagged nightly; {@code -Dpgcert.scenario=primary-crash-*} picks scenarios by name and
 * {@code -Dpgcert.scenarios=DIR} certifies another directory (a team's own).
 */
class CertificationIT extends ScenarioSuite {

    @Override
    protected Path directory() {
        return Path.of(System.getProperty("pgcert.scenarios", "scenarios"));
    }

    @Override
    protected void verify(Scenario scenario) throws Exception {
        Certification.assertCertified(certification.run(scenario));
    }
}
