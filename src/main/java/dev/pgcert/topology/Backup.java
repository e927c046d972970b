package dev.pgcert.topology;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code backup:} section: continuous WAL archiving and base backups with pgBackRest.
 *
 * <p>The repositories are Docker volumes of their own (see docs/backup.md for why a shared volume and not
 * pgBackRest's TLS server): mounted in every node at {@code /var/lib/pgcert/repo1} (and {@code repo2}),
 * never a node's data volume, so the loss of every node leaves them whole.
 *
 * @param stanza          pgBackRest's stanza (the topology's name)
 * @param archiveTimeout  PostgreSQL's {@code archive_timeout}: the longest a written WAL record waits for its
 *                        segment to be switched and archived under light load; zero is off
 * @param archiveCommand  the {@code archive_command} as written, for designs that replace pgBackRest's
 *                        ({@code %p} is the segment path); empty for {@link #defaultArchiveCommand()}
 * @param retentionFull   {@code repo-retention-full}: full backups kept
 * @param retentionDiff   {@code repo-retention-diff}: differential backups kept, empty for pgBackRest's default
 * @param compressType    {@code compress-type}
 * @param compressLevel   {@code compress-level}, empty for the type's default
 * @param repositories    1, or 2 for a second repository with the same retention (each backup step names one)
 */
public record Backup(
        String stanza,
        Duration archiveTimeout,
        Optional<String> archiveCommand,
        int retentionFull,
        Optional<Integer> retentionDiff,
        Compress compressType,
        Optional<Integer> compressLevel,
        int repositories) {

    /** pgBackRest's compression types (2.45 and 2.55 both have these). */
    public enum Compress {
        NONE, GZ, LZ4, ZST, BZ2;

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The command every node archives with unless the topology writes its own. */
    public String defaultArchiveCommand() {
        return "pgbackrest --stanza=" + stanza + " archive-push %p";
    }

    /** The command PostgreSQL runs for each finished WAL segment. */
    public String effectiveArchiveCommand() {
        return archiveCommand.orElse(defaultArchiveCommand());
    }

    /** The command a restoring PostgreSQL fetches WAL with. */
    public String restoreCommand() {
        return "pgbackrest --stanza=" + stanza + " archive-get %f \"%p\"";
    }
}
