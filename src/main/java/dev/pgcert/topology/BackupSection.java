package dev.pgcert.topology;

import dev.pgcert.yaml.YamlMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code backup:} section into a {@link Backup}:
 * <pre>
 * backup:
 *   tool: pgbackrest          # the one tool supported
 *   archive_timeout: 10s      # PostgreSQL's archive_timeout; 0s is off
 *   retention: {full: 2, diff: 4}
 *   compress_type: lz4        # none, gz, lz4, zst, bz2
 *   compress_level: 1
 *   repositories: 1           # 2 adds a second repository
 *   archive_command: "..."    # only to describe a flawed design: replaces pgBackRest's archive-push
 * </pre>
 * The archiving parameters are the section's: the same ones under {@code postgresql:} are refused.
 */
final class BackupSection {

    static final List<String> KEYS = List.of("tool", "archive_timeout", "archive_command", "retention", "compress_type",
            "compress_level", "repositories");
    /** Set through Patroni from this section; a second place to set them would be a second truth. */
    static final List<String> ARCHIVE_PARAMETERS = List.of("archive_mode", "archive_command", "archive_timeout",
            "restore_command");
    static final Duration DEFAULT_ARCHIVE_TIMEOUT = Duration.ofSeconds(60);

    private BackupSection() {}

    static Optional<Backup> read(YamlMap root, String stanza, Map<String, String> postgresql) {
        Optional<YamlMap> yaml = root.map("backup");
        if (yaml.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = yaml.get();
        m.allowOnly(KEYS.toArray(String[]::new));
        m.get("tool").ifPresent(at -> at.asString().filter(t -> !t.equals("pgbackrest"))
                .ifPresent(t -> at.error("unknown backup tool '" + t + "': the harness certifies pgbackrest")));
        root.map("postgresql").ifPresent(pg -> ARCHIVE_PARAMETERS.forEach(p -> pg.get(p).ifPresent(at ->
                at.error(p + " is set from the backup: section (archive_timeout, archive_command); remove it here"))));
        Duration timeout = m.get("archive_timeout").flatMap(at -> at.asDuration(Duration.ZERO).filter(d -> {
            if (d.toMillis() % 1000 == 0) {
                return true;
            }
            at.error("PostgreSQL's archive_timeout is whole seconds, got " + d.toMillis() + " ms");
            return false;
        })).orElse(DEFAULT_ARCHIVE_TIMEOUT);
        if (timeout.isZero()) {
            m.get("archive_timeout").orElseThrow().warning("archive_timeout 0s is off: WAL reaches the archive only when"
                    + " a 16 MB segment fills, so under light load the recovery point can lag without bound");
        }
        Optional<String> command = m.get("archive_command").flatMap(at -> at.asString().filter(c -> {
            if (c.contains("%p")) {
                return true;
            }
            at.error("an archive_command must archive the segment it is given: it has no %p");
            return false;
        }));
        int retentionFull = 2;
        Optional<Integer> retentionDiff = Optional.empty();
        Optional<YamlMap> retention = m.map("retention");
        if (retention.isPresent()) {
            YamlMap r = retention.get();
            r.allowOnly("full", "diff");
            retentionFull = r.integer("full", 1, 9_999_999).orElse(retentionFull);
            retentionDiff = r.integer("diff", 1, 9_999_999);
        }
        Backup.Compress compress = m.enumValue("compress_type", Backup.Compress.class).orElse(Backup.Compress.LZ4);
        Optional<Integer> level = m.get("compress_level").flatMap(at -> at.asInt(0, 22).filter(l -> {
            int max = switch (compress) {
                case NONE -> -1;
                case GZ, BZ2 -> 9;
                case LZ4 -> 12;
                case ZST -> 22;
            };
            if (l <= max) {
                return true;
            }
            at.error(compress == Backup.Compress.NONE ? "compress_level needs a compress_type other than none"
                    : "compress_level " + l + " is above " + compress.option() + "'s maximum " + max);
            return false;
        }));
        int repositories = m.integer("repositories", 1, 2).orElse(1);
        return Optional.of(new Backup(stanza, timeout, command, retentionFull, retentionDiff, compress, level,
                repositories));
    }
}
