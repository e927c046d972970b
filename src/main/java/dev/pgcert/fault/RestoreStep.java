package dev.pgcert.fault;

import dev.pgcert.cluster.BackupRepository;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code {kind: restore, to: latest|restore-point|time, within: 1h}}: a new cluster from the repository,
 * bootstrapped by Patroni's custom bootstrap method (pgBackRest restore, then PostgreSQL replays the archive to
 * the target and promotes); the other nodes then clone from it and the load resumes on its own. {@code latest}
 * replays the whole archive; {@code restore-point} and {@code time} go back to the last restore point the harness
 * made (a {@code bad-statement} step makes one), by its name or by the database's time when it was made.
 * {@code within} bounds the wait for the restored primary. Notes the stages (ms from the step's start) and
 * {@code destroyed_nanos}, when the old data was gone. Nothing to heal.
 */
final class RestoreStep extends BackupStepBase {
    enum To {
        LATEST, RESTORE_POINT, TIME;

        static To parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new FaultException("to '" + s + "': expected latest, restore-point or time");
            }
        }
    }

    static final Duration DEFAULT_WITHIN = Duration.ofHours(1);

    private final To to;
    private final Duration within;

    RestoreStep(String id, To to, Duration within) {
        super(id, "restore");
        this.to = to;
        this.within = within;
    }

    @Override
    protected void inject(FaultContext context) {
        BackupRepository repo = repository(context);
        BackupRepository.Target target = switch (to) {
            case LATEST -> BackupRepository.Target.latest();
            case RESTORE_POINT -> BackupRepository.Target.restorePoint(point(repo).name());
            case TIME -> BackupRepository.Target.time(point(repo).time());
        };
        resolvedTo(context.topology().bootstrapNode().orElseThrow().name());
        note("to", to.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        attempt(id(), () -> repo.restore(target, within)).forEach(this::note);
    }

    private BackupRepository.RestorePoint point(BackupRepository repo) {
        return repo.lastRestorePoint().orElseThrow(() -> new FaultException(id() + ": restore to " + to
                + " needs a restore point made earlier in the run (a bad-statement step makes one)"));
    }

    @Override
    protected void repair(FaultContext context) {
        // The restored cluster stays.
    }
}
