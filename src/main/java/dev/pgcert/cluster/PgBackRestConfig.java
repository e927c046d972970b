package dev.pgcert.cluster;

import dev.pgcert.topology.Backup;

/** Renders pgbackrest.conf for every node: one stanza, the run's repositories, the topology's retention and compression. */
final class PgBackRestConfig {
    static final String CONF = "/etc/pgbackrest/pgbackrest.conf";
    /** pgBackRest's lock and log files: the container's own disk, not a volume. */
    static final String WORK_DIR = "/tmp/pgbackrest";

    private PgBackRestConfig() {}

    static String repoMount(int repo) {
        return "/var/lib/pgcert/repo" + repo;
    }

    static String render(Backup b, String superuser) {
        StringBuilder s = new StringBuilder("[global]\n");
        for (int repo = 1; repo <= b.repositories(); repo++) {
            s.append("repo").append(repo).append("-path=").append(repoMount(repo)).append('\n');
            s.append("repo").append(repo).append("-retention-full=").append(b.retentionFull()).append('\n');
            int r = repo;
            b.retentionDiff().ifPresent(d -> s.append("repo").append(r).append("-retention-diff=").append(d).append('\n'));
        }
        s.append("compress-type=").append(b.compressType().option()).append('\n');
        b.compressLevel().ifPresent(l -> s.append("compress-level=").append(l).append('\n'));
        s.append("start-fast=y\n");
        s.append("process-max=2\n");
        s.append("lock-path=").append(WORK_DIR).append('\n');
        s.append("log-path=").append(WORK_DIR).append('\n');
        s.append("log-level-console=warn\n");
        s.append("log-level-file=info\n");
        s.append('\n');
        s.append('[').append(b.stanza()).append("]\n");
        s.append("pg1-path=").append(PatroniNodeContainer.pgdata()).append('\n');
        s.append("pg1-socket-path=/tmp\n");
        s.append("pg1-port=").append(PatroniConfig.PG_PORT).append('\n');
        s.append("pg1-user=").append(superuser).append('\n');
        return s.toString();
    }
}
