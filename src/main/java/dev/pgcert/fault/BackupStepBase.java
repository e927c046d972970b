package dev.pgcert.fault;

import dev.pgcert.cluster.BackupRepository;
import dev.pgcert.topology.Topology;

import java.util.Optional;

/**
 * A step on the run's pgBackRest repository (a backup, a disaster, a restore, an archive outage): a fault in
 * the nemesis's sense, recorded on the history with its window, that needs the topology's {@code backup:}
 * section.
 */
abstract class BackupStepBase extends AbstractFault {

    BackupStepBase(String id, String kind) {
        super(id, kind, new Target.Primary());
    }

    @Override
    public Optional<String> problemWith(Topology topology) {
        return topology.backup().isPresent() ? Optional.empty()
                : Optional.of(kind() + " needs a topology with a backup: section (" + topology.source() + " has none)");
    }

    static BackupRepository repository(FaultContext context) {
        return context.containers().backup()
                .orElseThrow(() -> new FaultException("the cluster has no backup repository (no backup: section)"));
    }

    /** Runs {@code action}; a failure of the repository's commands becomes a {@link FaultException}. */
    static <T> T attempt(String id, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (FaultException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FaultException(id + ": " + e.getMessage(), e);
        }
    }
}
