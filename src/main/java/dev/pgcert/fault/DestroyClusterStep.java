package dev.pgcert.fault;

/**
 * {@code {kind: destroy-cluster}}: the disaster a backup exists for. Every node's Patroni and PostgreSQL are
 * killed, every data (and WAL) volume is emptied and the cluster's keys leave etcd; only the repository stays.
 * Its heal is nothing: a {@code restore} step brings the cluster back.
 */
final class DestroyClusterStep extends BackupStepBase {

    DestroyClusterStep(String id) {
        super(id, "destroy-cluster");
    }

    @Override
    protected void inject(FaultContext context) {
        resolvedTo("every node");
        attempt(id(), () -> repository(context).destroyAll()).forEach(this::note);
    }

    @Override
    protected void repair(FaultContext context) {
        // Nothing comes back by itself: that is the restore step's work.
    }
}
