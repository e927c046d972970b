package dev.pgcert.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupStepsTest {
    private final FaultRegistry registry = FaultRegistry.standard();
    private static final String NODES = "nodes:\n  - name: node1\n";
    private final Topology withBackup = TopologyLoader.parse("name: b\n" + NODES + "backup: {repositories: 1}\n", "b.yaml");
    private final Topology without = TopologyLoader.parse("name: plain\n" + NODES, "plain.yaml");

    @Test
    void everyStepIsAKindWithItsParameters() {
        assertThat(registry.create("s1", Map.of("kind", "backup", "type", "incr"))).isInstanceOf(BackupStep.class);
        assertThat(registry.create("s2", Map.of("kind", "destroy-cluster"))).isInstanceOf(DestroyClusterStep.class);
        assertThat(registry.create("s3", Map.of("kind", "bad-statement", "statement", "drop"))).isInstanceOf(BadStatementStep.class);
        assertThat(registry.create("s4", Map.of("kind", "restore", "to", "restore-point", "within", "10m")))
                .isInstanceOf(RestoreStep.class);
        assertThat(registry.create("s5", Map.of("kind", "archive-outage"))).isInstanceOf(ArchiveOutageStep.class);
        assertThat(registry.create("s6", Map.of("kind", "ballast", "size", "500MB"))).isInstanceOf(BallastStep.class);
    }

    @Test
    void aWrongValueSaysWhatIsExpected() {
        assertThatThrownBy(() -> registry.create("s1", Map.of("kind", "backup", "type", "weekly")))
                .hasMessageContaining("type 'weekly': expected full, diff or incr");
        assertThatThrownBy(() -> registry.create("s2", Map.of("kind", "restore", "to", "yesterday")))
                .hasMessageContaining("to 'yesterday': expected latest, restore-point or time");
        assertThatThrownBy(() -> registry.create("s3", Map.of("kind", "bad-statement", "statement", "truncate")))
                .hasMessageContaining("statement 'truncate': expected delete or drop");
        assertThatThrownBy(() -> registry.create("s4", Map.of("kind", "restore", "within", "10")))
                .hasMessageContaining("10 has no unit");
        assertThatThrownBy(() -> registry.create("s5", Map.of("kind", "destroy-cluster", "target", "node1")))
                .hasMessageContaining("unknown parameter 'target'");
    }

    @Test
    void aStepNeedsATopologyWithABackupSection() {
        Fault restore = registry.create("s1", Map.of("kind", "restore"));
        assertThat(restore.problemWith(withBackup)).isEmpty();
        assertThat(restore.problemWith(without)).contains("restore needs a topology with a backup: section (plain.yaml has none)");
    }

    @Test
    void aBackupIntoASecondRepositoryNeedsOne() {
        Fault second = registry.create("s1", Map.of("kind", "backup", "repo", "2"));
        assertThat(second.problemWith(withBackup)).contains("backup repo 2: the topology has 1 repositories");
    }
}
