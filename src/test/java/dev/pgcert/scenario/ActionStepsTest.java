package dev.pgcert.scenario;

import dev.pgcert.fault.Fault;
import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Operators' actions as phase steps, heal of one fault by id, and a duration per fault: read and checked before anything starts. */
class ActionStepsTest {
    private static final Path TOPOLOGIES = Path.of("topologies");

    private static Path write(Path dir, String phases) throws IOException {
        return Files.writeString(dir.resolve("s.yaml"), "name: s\ntopology: three-node-async\nphases:\n" + phases);
    }

    @Test
    void everyActionIsAStepWithItsParameters(@TempDir Path dir) throws IOException {
        Scenario s = ScenarioLoader.load(write(dir, """
                  - name: steps
                    inject:
                      - {kind: pause, id: maintenance}
                      - {kind: config, set: {ttl: 20, postgresql: {parameters: {max_connections: 200}}}}
                      - {kind: switchover, candidate: node3}
                      - {kind: switchover, candidate: node2, scheduled_at: 10s}
                      - {kind: failover, candidate: node2}
                      - {kind: pg-restart, target: node1}
                      - {kind: reinit, target: replica}
                      - {kind: kill, target: replica, duration: 5s}
                    duration: 20s
                  - {name: resume, heal: maintenance, duration: 1s}
                  - {name: end, heal: true}
                """), TOPOLOGIES);
        Scenario.Phase steps = s.phases().get(0);
        assertThat(steps.inject()).extracting(Fault::kind)
                .containsExactly("pause", "config", "switchover", "switchover", "failover", "pg-restart", "reinit", "kill");
        assertThat(steps.inject().get(0).id()).isEqualTo("maintenance");
        assertThat(steps.inject().get(1).id()).isEqualTo("steps-config-2");
        assertThat(steps.healAfter()).containsExactly(java.util.Map.entry("steps-kill-8", Duration.ofSeconds(5)));
        assertThat(s.phases().get(1).heal()).containsExactly(steps.inject().get(0));
        assertThat(s.phases().get(1).healAll()).isFalse();
        assertThat(s.phases().get(2).healAll()).isTrue();
    }

    @Test
    void healOfAnUnknownIdAndAnUnknownMemberAreErrorsAtTheirLines(@TempDir Path dir) throws IOException {
        Path file = write(dir, """
                  - name: a
                    inject:
                      - {kind: pause, id: maintenance}
                      - {kind: switchover, candidate: node4}
                      - {kind: failover, candidate: nod2}
                      - {kind: pg-restart, target: node7}
                    duration: 1s
                  - {name: b, heal: maintenence}
                  - {name: c, heal: [a-kill-9]}
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("s.yaml:7:").hasMessageContaining("unknown member 'node4'")
                .hasMessageContaining("s.yaml:8:").hasMessageContaining("unknown member 'nod2'; did you mean 'node2'?")
                .hasMessageContaining("s.yaml:9:").hasMessageContaining("unknown node 'node7'")
                .hasMessageContaining("s.yaml:11:").hasMessageContaining("unknown fault id 'maintenence'; did you mean 'maintenance'?")
                .hasMessageContaining("s.yaml:12:").hasMessageContaining("unknown fault id 'a-kill-9'");
    }

    @Test
    void aHealMayNameOnlyAnEarlierPhasesFaultAndIdsAreUnique(@TempDir Path dir) throws IOException {
        Path file = write(dir, """
                  - name: a
                    heal: later
                    inject:
                      - {kind: kill, id: k}
                      - {kind: freeze, id: k}
                    duration: 1s
                  - {name: b, inject: [{kind: kill, id: later}], duration: 1s}
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .hasMessageContaining("unknown fault id 'later'")
                .hasMessageContaining("fault id 'k' is taken");
    }

    @Test
    void aConfigChangeNeedsKeysAndAFailoverACandidate(@TempDir Path dir) throws IOException {
        Path file = write(dir, """
                  - name: a
                    inject:
                      - {kind: config}
                      - {kind: failover}
                      - {kind: kill, duration: 5}
                    duration: 1s
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .hasMessageContaining("at least one key")
                .hasMessageContaining("failover needs a candidate")
                .hasMessageContaining("no unit");
    }

    @Test
    void theUndoOfAConfigChangeRestoresOldValuesAndRemovesNewKeys() throws Exception {
        var m = dev.pgcert.json.Json.MAPPER;
        var undo = dev.pgcert.fault.ConfigChangeFaultAccess.previous(
                m.readTree("{\"ttl\": 20, \"pause\": true, \"postgresql\": {\"parameters\": {\"max_connections\": 200}}}"),
                m.readTree("{\"ttl\": 10, \"postgresql\": {\"parameters\": {\"max_connections\": 100, \"work_mem\": \"4MB\"}}}"));
        assertThat(undo.toString()).isEqualTo("{\"ttl\":10,\"pause\":null,\"postgresql\":{\"parameters\":{\"max_connections\":100}}}");
    }
}
