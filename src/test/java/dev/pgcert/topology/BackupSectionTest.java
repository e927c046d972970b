package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.yaml.Problem;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupSectionTest {

    private static final String NODES = "nodes:\n  - name: node1\n";

    @Test
    void aTopologyWithoutTheSectionHasNoBackup() {
        Topology t = TopologyLoader.parse("name: plain\n" + NODES, "plain.yaml");
        assertThat(t.backup()).isEmpty();
    }

    @Test
    void omittedKeysTakeTheDefaults() {
        Topology t = TopologyLoader.parse("name: withbackup\n" + NODES + "backup: {tool: pgbackrest}\n", "b.yaml");
        Backup b = t.backup().orElseThrow();
        assertThat(b.stanza()).isEqualTo("withbackup");
        assertThat(b.archiveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.retentionFull()).isEqualTo(2);
        assertThat(b.retentionDiff()).isEmpty();
        assertThat(b.compressType()).isEqualTo(Backup.Compress.LZ4);
        assertThat(b.repositories()).isEqualTo(1);
        assertThat(b.effectiveArchiveCommand()).isEqualTo("pgbackrest --stanza=withbackup archive-push %p");
        assertThat(b.restoreCommand()).isEqualTo("pgbackrest --stanza=withbackup archive-get %f \"%p\"");
    }

    @Test
    void everyKeyIsRead() {
        Topology t = TopologyLoader.parse("name: full\n" + NODES + """
                backup:
                  archive_timeout: 5s
                  archive_command: "my-archiver %p"
                  retention: {full: 3, diff: 6}
                  compress_type: zst
                  compress_level: 3
                  repositories: 2
                """, "full.yaml");
        assertThat(t.backup()).contains(new Backup("full", Duration.ofSeconds(5), Optional.of("my-archiver %p"), 3,
                Optional.of(6), Backup.Compress.ZST, Optional.of(3), 2));
    }

    @Test
    void archivingOffIsAWarningThatNamesTheConsequence() {
        TopologyLoader.Loaded loaded = TopologyLoader.parseWithWarnings("name: off\n" + NODES
                + "backup:\n  archive_timeout: 0s\n", "off.yaml");
        assertThat(loaded.topology().backup().orElseThrow().archiveTimeout()).isZero();
        assertThat(loaded.warnings()).extracting(Problem::format)
                .containsExactly("off.yaml:5:20: warning: backup.archive_timeout: archive_timeout 0s is off: WAL reaches the"
                        + " archive only when a 16 MB segment fills, so under light load the recovery point can lag"
                        + " without bound");
    }
}
