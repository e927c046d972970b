package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One batch of a bulk load: {@code COPY pgcert_ledger(k) FROM STDIN} of the next {@code batch} ledger
 * keys (taken from the same counter as the single writes, so every key is attempted once), in one
 * transaction, through PgJDBC's {@link CopyManager}. Recorded with its key range, so the data-loss
 * checker holds each row against the final read like a single write: INVOKE {key_from, key_to, rows};
 * OK the same and the node that took it. A failure before COMMIT is sent is definite (FAIL).
 *
 * <p>When every row has been handed out, further attempts (the arrival profile may round up) carry
 * 0 rows and do not touch the database.
 */
final class BulkOperation extends AbstractOperation {

    static final String COPY = "COPY pgcert_ledger(k) FROM STDIN";
    static final String NODE = "SELECT current_setting('pgcert.node', true)";

    private final AtomicLong nextKey;
    private final AtomicLong ackedMaxKey;
    private final LoadSpec.Bulk bulk;
    private final AtomicLong rowsLeft;

    BulkOperation(AtomicLong nextKey, AtomicLong ackedMaxKey, LoadSpec.Bulk bulk) {
        super(Event.Fn.BULK, Endpoint.RW, true);
        this.nextKey = nextKey;
        this.ackedMaxKey = ackedMaxKey;
        this.bulk = bulk;
        this.rowsLeft = new AtomicLong(bulk.rows());
    }

    @Override
    public Attempt begin() {
        long rows = rowsLeft.getAndUpdate(left -> Math.max(0, left - bulk.batch()));
        rows = Math.min(rows, bulk.batch());
        long from = rows == 0 ? 0 : nextKey.getAndAdd(rows);
        Map<String, Object> invoke = new LinkedHashMap<>();
        invoke.put("key_from", from);
        invoke.put("key_to", rows == 0 ? -1 : from + rows - 1);
        invoke.put("rows", rows);
        invoke.put("endpoint", Endpoint.RW.key());
        return new Attempt(invoke, rows == 0 ? 0 : from + rows - 1);
    }

    @Override
    public Map<String, Object> run(Connection c, Attempt attempt) throws SQLException {
        long from = (Long) attempt.invoke().get("key_from");
        long rows = (Long) attempt.invoke().get("rows");
        Map<String, Object> ok = new LinkedHashMap<>(attempt.invoke());
        ok.remove("endpoint");
        if (rows == 0) {
            return ok;
        }
        StringBuilder data = new StringBuilder((int) Math.min(Integer.MAX_VALUE, rows * 12));
        for (long k = from; k < from + rows; k++) {
            data.append(k).append('\n');
        }
        c.setAutoCommit(false);
        try {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long copied = copy.copyIn(COPY, new StringReader(data.toString()));
            if (copied != rows) {
                throw new NotCommitted("COPY took " + copied + " rows of " + rows);
            }
            try (PreparedStatement n = c.prepareStatement(NODE); ResultSet rs = n.executeQuery()) {
                rs.next();
                ok.put("node", rs.getString(1));
            }
        } catch (SQLException | java.io.IOException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // a broken connection: the server rolls back on its own
            }
            if (e instanceof NotCommitted nc) {
                throw nc;
            }
            throw e instanceof SQLException s ? new NotCommitted(s) : new NotCommitted(new SQLException(e.getMessage(), "08006", e));
        }
        c.commit(); // only a failure here can leave the outcome unknown
        return ok;
    }

    @Override
    public void succeeded(Attempt attempt) {
        if (attempt.key() > 0) {
            ackedMaxKey.accumulateAndGet(attempt.key(), Math::max);
        }
    }
}
