package dev.pgcert.fault;

import dev.pgcert.cluster.BackupRepository;

import java.util.Locale;

/**
 * {@code {kind: bad-statement, statement: delete|drop}}: an operator's mistake on the ledger, {@code DELETE}
 * without {@code WHERE} or {@code DROP TABLE}. Just before it the harness creates a restore point named after
 * the step ({@code pg_create_restore_point}) and notes its LSN, the database's time, and the history times
 * around it ({@code point_begin_nanos}, {@code point_end_nanos}): a {@code restore} step can go back to it by
 * name or by time, and the checker judges the restore against it key by key. Not healed: the restore is.
 */
final class BadStatementStep extends BackupStepBase {
    enum Statement {
        DELETE("DELETE FROM pgcert_ledger"), DROP("DROP TABLE pgcert_ledger");

        final String sql;

        Statement(String sql) {
            this.sql = sql;
        }

        static Statement parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new FaultException("statement '" + s + "': expected delete or drop");
            }
        }
    }

    private final Statement statement;

    BadStatementStep(String id, Statement statement) {
        super(id, "bad-statement");
        this.statement = statement;
    }

    @Override
    protected void inject(FaultContext context) {
        BackupRepository repo = repository(context);
        long begin = System.nanoTime();
        BackupRepository.RestorePoint point = attempt(id(), () -> repo.createRestorePoint("pgcert-" + id()));
        note("restore_point", point.name());
        note("restore_point_lsn", point.lsn());
        note("restore_point_time", point.time());
        note("point_begin_nanos", begin);
        note("point_end_nanos", point.nanos());
        note("statement", statement.sql);
        resolvedTo(attempt(id(), () -> repo.onPrimary(statement.sql)));
        note("statement_nanos", System.nanoTime());
    }

    @Override
    protected void repair(FaultContext context) {
        // A committed statement is not undone by waiting: a restore step goes back to the restore point.
    }
}
