package dev.pgcert.fault;

import java.util.Locale;

/** {@code {kind: backup, type: full|diff|incr, repo: 1}}: a pgBackRest backup on the primary. Nothing to heal. */
final class BackupStep extends BackupStepBase {
    enum Type { FULL, DIFF, INCR;
        static Type parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new FaultException("type '" + s + "': expected full, diff or incr");
            }
        }
    }

    private final Type type;
    private final int repo;

    BackupStep(String id, Type type, int repo) {
        super(id, "backup");
        this.type = type;
        this.repo = repo;
    }

    @Override
    public java.util.Optional<String> problemWith(dev.pgcert.topology.Topology topology) {
        return super.problemWith(topology).or(() -> topology.backup().filter(b -> repo > b.repositories())
                .map(b -> "backup repo " + repo + ": the topology has " + b.repositories() + " repositories"));
    }

    @Override
    protected void inject(FaultContext context) {
        var detail = attempt(id(), () -> repository(context).backup(type.name().toLowerCase(Locale.ROOT), repo));
        resolvedTo(String.valueOf(detail.get("node")));
        detail.forEach(this::note);
    }

    @Override
    protected void repair(FaultContext context) {
        // A backup stays in the repository (retention expires it).
    }

    /** Not a disruption: a backup runs beside the load. */
    @Override
    public boolean disrupts() {
        return false;
    }
}
