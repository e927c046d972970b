package dev.pgcert.fault;

/**
 * {@code {kind: archive-outage, repo: 1}}: the repository's archive cannot be written (its directory made
 * unwritable), so every archive-push fails, PostgreSQL keeps the WAL and retries, and the archive's lag grows
 * until the heal restores the directory's mode.
 */
final class ArchiveOutageStep extends BackupStepBase {
    private final int repo;
    private volatile String mode;

    ArchiveOutageStep(String id, int repo) {
        super(id, "archive-outage");
        this.repo = repo;
    }

    @Override
    protected void inject(FaultContext context) {
        resolvedTo("repo" + repo);
        mode = attempt(id(), () -> repository(context).blockArchive(repo));
        note("mode", mode);
    }

    @Override
    protected void repair(FaultContext context) {
        if (mode != null) {
            attempt(id(), () -> {
                repository(context).unblockArchive(repo, mode);
                return null;
            });
            mode = null;
        }
    }
}
