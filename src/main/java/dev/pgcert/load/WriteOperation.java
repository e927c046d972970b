package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inserts the next ledger key. Keys come from one counter, so key order follows time order; the
 * reply names the node that took the write and its timeline (from the WAL file name).
 */
final class WriteOperation extends AbstractOperation {

    static final String SQL = "INSERT INTO pgcert_ledger(k) VALUES (?) RETURNING current_setting('pgcert.node', true), "
            + "substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)";

    private final AtomicLong nextKey;
    private final AtomicLong ackedMaxKey;
    private final String target;

    /** @param target the node the writes are aimed at (past the router), or null for the rw endpoint */
    WriteOperation(AtomicLong nextKey, AtomicLong ackedMaxKey, String target) {
        super(Event.Fn.WRITE, Endpoint.RW, true);
        this.nextKey = nextKey;
        this.ackedMaxKey = ackedMaxKey;
        this.target = target;
    }

    @Override
    public Attempt begin() {
        long key = nextKey.getAndIncrement();
        Map<String, Object> invoke = new LinkedHashMap<>();
        invoke.put("key", key);
        invoke.put("endpoint", Endpoint.RW.key());
        if (target != null) {
            invoke.put("target", target);
        }
        return new Attempt(invoke, key);
    }

    @Override
    public Map<String, Object> run(Connection c, Attempt attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setLong(1, attempt.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Map<String, Object> ok = new LinkedHashMap<>();
                ok.put("key", attempt.key());
                ok.put("node", rs.getString(1));
                ok.put("timeline", Integer.parseUnsignedInt(rs.getString(2), 16));
                return ok;
            }
        }
    }

    @Override
    public void succeeded(Attempt attempt) {
        ackedMaxKey.accumulateAndGet(attempt.key(), Math::max);
    }
}
