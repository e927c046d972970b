package dev.pgcert;

import dev.pgcert.junit.Certification;
import dev.pgcert.scenario.Scenario;

import java.nio.file.Path;

/**
 * The test of the tester: deliberately flawed clusters (scenarios/self-cert) must fail for the
 * right reason, and their corrected twins must pass. A flawed cluster that the harness certifies
 * fails this build.
 */
class SelfCertificationIT extends ScenarioSuite {

    @Override
    protected Path directory() {
        return Path.of("scenarios", "self-cert");
    }

    @Override
    protected void verify(Scenario scenario) throws Exception {
        Certification.assertExpectedVerdict(scenario, certification.run(scenario));
    }
}
