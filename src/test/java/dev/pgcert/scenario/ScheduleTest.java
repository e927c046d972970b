package dev.pgcert.scenario;

import dev.pgcert.fault.Fault;
import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Random schedules: drawn once when the file is read, replayable from the seed, expanded into phases. */
class ScheduleTest {
    private static final Path TOPOLOGIES = Path.of("topologies");

    private static final List<Schedule.Choice> CHOICES = List.of(
            new Schedule.Choice("kill", Map.of("kind", "kill"), List.of("node1", "node2", "node3", "etcd:1")),
            new Schedule.Choice("partition", Map.of("kind", "partition"), List.of("primary", "replica")),
            new Schedule.Choice("freeze", Map.of("kind", "freeze"), List.of("primary")));

    private static List<String> sequence(long seed) {
        return Schedule.draw(seed, 10, CHOICES, DurationRange.parse("5s..15s"), DurationRange.parse("10s..20s")).stream()
                .map(d -> d.at().toMillis() + " " + d.choice().kind() + " " + d.target()).toList();
    }

    @Test
    void theSameSeedGivesTheSameTimesKindsAndTargets() {
        assertThat(sequence(42)).hasSize(10).isEqualTo(sequence(42));
        // Pinned: a change to the drawing (another generator, another order of draws) breaks replays of old seeds.
        assertThat(sequence(42).subList(0, 2)).containsExactly("0 freeze primary", "22000 freeze primary");
    }

    @Test
    void anotherSeedGivesAnotherSequence() {
        assertThat(sequence(43)).isNotEqualTo(sequence(42));
        assertThat(sequence(7)).isNotEqualTo(sequence(42));
    }

    @Test
    void rangesAreDrawnWithinTheirBoundsAndTimesAddUp() {
        var draws = Schedule.draw(99, 500, CHOICES, DurationRange.parse("5s..15s"), DurationRange.parse("10s"));
        Duration at = Duration.ZERO;
        for (var d : draws) {
            assertThat(d.at()).isEqualTo(at);
            assertThat(d.hold()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
            assertThat(d.quiet()).isEqualTo(Duration.ofSeconds(10));
            at = at.plus(d.hold()).plus(d.quiet());
        }
        assertThat(draws).extracting(d -> d.choice().kind()).contains("kill", "partition", "freeze");
        assertThat(draws).extracting(d -> d.hold().toSeconds()).contains(5L, 15L);
        assertThat(DurationRange.parse("100ms..300ms").draw(new java.util.SplittableRandom(1)).toMillis()).isBetween(100L, 300L);
    }

    @Test
    void aRangeIsReadInTheDurationGrammar() {
        assertThat(DurationRange.parse("5s..15s")).isEqualTo(new DurationRange(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        assertThat(DurationRange.parse("500ms")).isEqualTo(DurationRange.exactly(Duration.ofMillis(500)));
        assertThatThrownBy(() -> DurationRange.parse("15s..5s")).hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> DurationRange.parse("5..15s")).hasMessageContaining("no unit");
    }

    private static Path write(Path dir, String body) throws IOException {
        return Files.writeString(dir.resolve("s.yaml"), "name: s\ntopology: three-node-async\n" + body);
    }

    private static final String SCHEDULE = """
            phases:
              - {name: warm-up, duration: 5s}
              - name: nemesis
                schedule:
                  seed: %s
                  cycles: 6
                  hold: 5s..15s
                  quiet: 5s..10s
                  targets: [any]
                  faults:
                    - {kind: kill}
                    - {kind: freeze}
                    - {kind: partition, from: dcs, targets: [primary, replica]}
              - {name: settle, until: healthy}
            """;

    @Test
    void aScheduleInAFileExpandsIntoPhasesWithItsPlan(@TempDir Path dir) throws IOException {
        Scenario a = ScenarioLoader.load(write(dir, SCHEDULE.formatted("1234")), TOPOLOGIES);
        Scenario b = ScenarioLoader.load(write(dir, SCHEDULE.formatted("1234")), TOPOLOGIES);
        Scenario c = ScenarioLoader.load(write(dir, SCHEDULE.formatted("1235")), TOPOLOGIES);

        Schedule plan = a.schedules().get(0);
        assertThat(plan.seed()).isEqualTo(1234);
        assertThat(plan.seedGiven()).isTrue();
        assertThat(plan.steps()).hasSize(6);
        assertThat(plan.steps()).isEqualTo(b.schedules().get(0).steps());
        assertThat(plan.steps()).isNotEqualTo(c.schedules().get(0).steps());
        // warm-up, 6 × (fault, quiet), settle
        assertThat(a.phases()).hasSize(14);
        assertThat(a.phases().get(1).name()).isEqualTo("nemesis-1");
        assertThat(a.phases().get(2).name()).isEqualTo("nemesis-1-quiet");
        Fault first = a.phases().get(1).inject().get(0);
        assertThat(first.id()).isEqualTo(plan.steps().get(0).faultId());
        assertThat(a.phases().get(2).heal()).containsExactly(first);
        assertThat(a.phases().get(1).duration()).isEqualTo(plan.steps().get(0).hold());
        assertThat(plan.steps()).extracting(Schedule.Step::target)
                .allMatch(t -> List.of("node1", "node2", "node3", "etcd:1", "primary", "replica").contains(t));
        assertThat(plan.describe()).contains("seed 1234").contains("nemesis-1-");
        assertThat(a.load().runFor()).as("the load's bound covers the drawn plan").isGreaterThan(plan.length());
    }

    @Test
    void withoutASeedOneIsGeneratedAndShown(@TempDir Path dir) throws IOException {
        Scenario s = ScenarioLoader.load(write(dir, SCHEDULE.replace("      seed: %s\n", "")), TOPOLOGIES);
        assertThat(s.schedules().get(0).seedGiven()).isFalse();
        assertThat(s.schedules().get(0).describe()).contains("add seed: " + s.schedules().get(0).seed());
    }

    @Test
    void aKindThatCannotTakeADrawnTargetIsRefusedAtItsLine(@TempDir Path dir) throws IOException {
        Path file = write(dir, """
                phases:
                  - name: nemesis
                    schedule:
                      cycles: 2
                      hold: 5s
                      faults:
                        - {kind: kil}
                        - {kind: switchover, candidate: node9, targets: [primary]}
                      targets: [any]
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("s.yaml:9:")
                .hasMessageContaining("did you mean 'kill'")
                .hasMessageContaining("s.yaml:10:")
                .hasMessageContaining("unknown member 'node9'");
    }

    @Test
    void aScheduleTakesNoOtherPhaseKeysAndNeedsCyclesAndHold(@TempDir Path dir) throws IOException {
        Path file = write(dir, """
                phases:
                  - name: nemesis
                    duration: 10s
                    schedule:
                      faults: [{kind: kill}]
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .hasMessageContaining("s.yaml:5:")
                .hasMessageContaining("no duration beside schedule")
                .hasMessageContaining("cycles")
                .hasMessageContaining("hold");
    }
}
