package dev.pgcert.scenario;

import dev.pgcert.check.Expectation;
import dev.pgcert.check.ExpectationResult;
import dev.pgcert.topology.StackOverride;
import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A limit that names the design's ttl is bound to the ttl the scenario's stack really runs. */
class DesignLimitsLoadTest {
    private static final Path TOPOLOGIES = Path.of("topologies");

    private static Path scenario(Path dir, String limit) throws IOException {
        return Files.writeString(dir.resolve("s.yaml"), """
                name: s
                topology: three-node-async
                phases:
                  - name: crash
                    inject: [{kind: kill, target: primary}]
                    duration: 30s
                expect:
                  failover_time.dcs: "%s"
                """.formatted(limit));
    }

    private static ExpectationResult dcs(Scenario s, double seconds) {
        Expectation e = s.expectations().get(0);
        return e.evaluate(Map.of("failover_time.dcs", seconds));
    }

    @Test
    void theTopologysTtlAsEachStackRunsItBindsTheLimit(@TempDir Path dir) throws IOException {
        Path file = scenario(dir, "<= ttl + loop_wait + 2s");
        // three-node-async states ttl 10: Patroni 3.0.2 runs 10, Patroni 4.0.7 raises it to 20.
        Scenario bookworm = StackOverride.with("bookworm", () -> ScenarioLoader.load(file, TOPOLOGIES));
        Scenario trixie = StackOverride.with("trixie", () -> ScenarioLoader.load(file, TOPOLOGIES));

        assertThat(dcs(bookworm, 21.4).passed()).isFalse();
        assertThat(dcs(bookworm, 21.4).limitText()).endsWith("(14 s)");
        assertThat(dcs(trixie, 21.4).passed()).isTrue();
        assertThat(dcs(trixie, 21.4).limitText()).endsWith("(24 s)");
    }

    @Test
    void aMisspeltSettingIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        Path file = scenario(dir, "<= tll + 2s");
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(file + ":8:22: ")
                .hasMessageContaining("'tll' is not a setting a limit can name; did you mean 'ttl'?");
    }

    /**
     * Every shipped scenario loads on every stack, except on the stacks its topology rules out: a design pinned to
     * trixie because it uses keys Patroni 3.0.2 lacks (failover_priority, member_slots_ttl) may be refused on bookworm,
     * but only at those keys' lines.
     */
    @Test
    void everyShippedScenarioLoadsOnEveryStack() throws IOException {
        try (var files = Files.walk(Path.of("scenarios"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String pinned = pinnedStack(ScenarioLoader.load(f, TOPOLOGIES).topology().source());
                for (String stack : dev.pgcert.topology.Stacks.names()) {
                    if (pinned != null && !pinned.equals(stack)) {
                        try {
                            StackOverride.with(stack, () -> ScenarioLoader.load(f, TOPOLOGIES));
                        } catch (ValidationException e) { // refused only for the keys that stack's versions lack
                            assertThat(e.getMessage().lines().skip(1).filter(l -> !l.isBlank()))
                                    .as(f + " on " + stack).allSatisfy(l -> assertThat(l).contains("does not have it"));
                        }
                        continue;
                    }
                    assertThat(StackOverride.with(stack, () -> ScenarioLoader.load(f, TOPOLOGIES)).expectations())
                            .as(f + " on " + stack).isNotNull();
                }
            }
        }
    }

    /** The stack a shipped topology pins ({@code stack: trixie}) when its keys need that stack's versions, or null. */
    private static String pinnedStack(String topologySource) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^stack:\\s*([a-z]+)")
                .matcher(Files.readString(Path.of(topologySource)));
        return m.find() ? m.group(1) : null;
    }
}
