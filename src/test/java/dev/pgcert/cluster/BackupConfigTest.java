package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a backup: section turns into: Patroni's archiving parameters, pgbackrest.conf, and the restore's bootstrap method. */
class BackupConfigTest {
    private final Topology topology = TopologyLoader.load(Path.of("topologies", "backup-async.yaml"));

    @Test
    void archivingGoesThroughPatronisDynamicConfiguration() {
        String yaml = PatroniConfig.render(topology, topology.node("node1"), List.of("etcd1:2379"), Credentials.generate());
        assertThat(yaml).contains("archive_mode: \"on\"")
                .contains("archive_command: \"pgbackrest --stanza=backup-async archive-push %p\"")
                .contains("archive_timeout: \"10s\"")
                .doesNotContain("method:");

        Topology plain = TopologyLoader.load(Path.of("topologies", "three-node-async.yaml"));
        assertThat(PatroniConfig.render(plain, plain.node("node1"), List.of("etcd1:2379"), Credentials.generate()))
                .doesNotContain("archive_");
    }

    @Test
    void pgbackrestConfHoldsTheRepositoriesRetentionAndCompression() {
        String conf = PgBackRestConfig.render(topology.backup().orElseThrow(), "pgcert_admin");
        assertThat(conf).contains("repo1-path=/var/lib/pgcert/repo1\nrepo1-retention-full=2\nrepo1-retention-diff=4\n")
                .contains("compress-type=lz4\n").contains("[backup-async]\npg1-path=/var/lib/pgcert/data/pgdata\n")
                .contains("pg1-user=pgcert_admin\n").doesNotContain("repo2");
    }

    @Test
    void aRestoreToARestorePointIsPatronisCustomBootstrapWithTheSameTarget() {
        Map<String, Object> method = BackupRepository.bootstrapMethod(topology.backup().orElseThrow(),
                BackupRepository.Target.restorePoint("pgcert-mistake-1"));
        String yaml = PatroniConfig.render(topology, topology.node("node1"), List.of("etcd1:2379"), Credentials.generate(), method);
        assertThat(yaml).contains("method: \"pgbackrest\"")
                .contains("command: \"pgcert-restore --stanza=backup-async --type=name '--target=pgcert-mistake-1'")
                .contains("--target-action=promote\"")
                .contains("no_params: true").contains("keep_existing_recovery_conf: false")
                .contains("recovery_target_name: \"pgcert-mistake-1\"").contains("recovery_target_action: \"promote\"")
                .contains("restore_command: \"pgbackrest --stanza=backup-async archive-get %f \\\"%p\\\"\"")
                .contains("initdb:");
    }

    @Test
    void aRestoreToTheEndOfTheArchiveHasNoTarget() {
        Map<String, Object> method = BackupRepository.bootstrapMethod(topology.backup().orElseThrow(), BackupRepository.Target.latest());
        @SuppressWarnings("unchecked")
        Map<String, Object> pgbackrest = (Map<String, Object>) method.get("pgbackrest");
        assertThat(pgbackrest.get("command")).isEqualTo("pgcert-restore --stanza=backup-async --type=default");
        @SuppressWarnings("unchecked")
        Map<String, Object> recovery = (Map<String, Object>) pgbackrest.get("recovery_conf");
        assertThat(recovery).containsOnlyKeys("restore_command", "recovery_target_timeline");
    }

    @Test
    void aPgBackRestLogLineGivesItsTime() {
        assertThat(BackupRepository.logTime("2026-11-30 00:10:01.250 P00   INFO: restore command begin 2.45: ...\n",
                "restore command begin")).contains(java.time.Instant.parse("2026-11-30T00:10:01.250Z").toEpochMilli());
    }

    @Test
    void theEndOfAWalSegmentIsItsNextSegmentsStart() {
        long mb16 = 16L * 1024 * 1024;
        assertThat(ArchiveObserver.segmentEnd("000000010000000000000003", mb16)).isEqualTo(4 * mb16);
        assertThat(ArchiveObserver.segmentEnd("0000000200000001000000FF", mb16)).isEqualTo(0x1_0000_0000L + 0x100 * mb16);
        assertThat(ArchiveObserver.segmentEnd("00000002.history", mb16)).isZero();
    }
}
