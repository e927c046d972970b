package dev.pgcert.scenario;

import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fault's target is checked against the topology while the scenario is read: a named component the run
 * will have, an etcd member within the DCS's size, a standby member only with a standby cluster, and a
 * node (not etcd, the router or PgBouncer) for the faults that work inside PostgreSQL or Patroni. The
 * same check covers every target a random schedule may draw.
 */
class FaultTargetsTest {
    private static final Path TOPOLOGIES = Path.of("topologies");

    private static Path write(Path dir, String topology, String phases) throws IOException {
        return Files.writeString(dir.resolve("s.yaml"), "name: s\ntopology: " + topology + "\nphases:\n" + phases);
    }

    @Test
    void aTargetTheTopologyDoesNotHaveIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        Path file = write(dir, "three-node-async", """
                  - name: a
                    inject:
                      - {kind: kill, target: node9}
                      - {kind: freeze, target: etcd:4}
                      - {kind: partition, target: standby:leader}
                      - {kind: stop, target: pgbouncr}
                    duration: 1s
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("s.yaml:6:").hasMessageContaining("unknown member 'node9' in topology three-node-async; did you mean 'node1'?")
                .hasMessageContaining("s.yaml:7:").hasMessageContaining("target etcd:4: the DCS of topology three-node-async has 1 member(s)")
                .hasMessageContaining("s.yaml:8:").hasMessageContaining("target standby:leader: topology three-node-async has no standby cluster")
                .hasMessageContaining("s.yaml:9:").hasMessageContaining("unknown member 'pgbouncr'").hasMessageContaining("did you mean 'pgbouncer'?");
    }

    @Test
    void aFaultInsidePostgresqlOrPatroniNeedsANode(@TempDir Path dir) throws IOException {
        Path file = write(dir, "three-node-async", """
                  - name: a
                    inject:
                      - {kind: clock-skew, target: etcd:1, ahead: 5s}
                      - {kind: pause-process, process: walreceiver, target: router}
                      - {kind: wal-replay-pause, target: etcd}
                      - {kind: postmaster-kill, target: pgbouncer}
                      - {kind: pg-restart, target: etcd1}
                    duration: 1s
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("s.yaml:6:").hasMessageContaining("clock-skew needs a PostgreSQL node as target, not an etcd member (etcd:1)")
                .hasMessageContaining("s.yaml:7:").hasMessageContaining("pause-process needs a PostgreSQL node as target, not router")
                .hasMessageContaining("s.yaml:8:").hasMessageContaining("wal-replay-pause needs a PostgreSQL node as target, not an etcd member (etcd)")
                .hasMessageContaining("s.yaml:9:").hasMessageContaining("postmaster-kill needs a PostgreSQL node as target, not pgbouncer")
                .hasMessageContaining("s.yaml:10:").hasMessageContaining("pg-restart needs a PostgreSQL node as target, not etcd1");
    }

    @Test
    void everyTargetAScheduleMayDrawIsChecked(@TempDir Path dir) throws IOException {
        Path file = write(dir, "three-node-async", """
                  - name: nemesis
                    schedule:
                      seed: 1
                      cycles: 3
                      hold: 5s
                      targets: [any]
                      faults:
                        - {kind: kill}
                        - {kind: clock-skew, ahead: 5s}
                        - {kind: wipe-data, targets: [nodes]}
                """);
        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("s.yaml:12:").hasMessageContaining("with target etcd:1: clock-skew needs a PostgreSQL node")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s.yaml:11:").doesNotContain("s.yaml:13:"));
    }

    @Test
    void realTargetsAreAccepted(@TempDir Path dir) throws IOException {
        Scenario s = ScenarioLoader.load(write(dir, "three-node-async", """
                  - name: a
                    inject:
                      - {kind: kill, target: etcd1}
                      - {kind: freeze, target: router}
                      - {kind: stop, target: pgbouncer}
                      - {kind: clock-skew, target: node2, ahead: 5s}
                      - {kind: wal-replay-pause, target: replica}
                      - {kind: partition, target: etcd:1}
                    duration: 1s
                """), TOPOLOGIES);
        assertThat(s.phases().get(0).inject()).hasSize(6);
    }
}
