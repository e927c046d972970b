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
 * Reads the ledger's highest key, with the highest key acknowledged to any writer before the read
 * began: on a primary the first can never be below the second; on a replica the gap is its lag.
 */
final class ReadOperation extends AbstractOperation {

    static final String SQL = "SELECT current_setting('pgcert.node', true), pg_is_in_recovery(), coalesce(max(k), 0) FROM pgcert_ledger";

    private final AtomicLong ackedMaxKey;

    ReadOperation(AtomicLong ackedMaxKey, Endpoint endpoint) {
        super(Event.Fn.READ, endpoint, false);
        this.ackedMaxKey = ackedMaxKey;
    }

    @Override
    public Attempt begin() {
        return new Attempt(endpointOnly(), ackedMaxKey.get());
    }

    @Override
    public Map<String, Object> run(Connection c, Attempt attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("node", rs.getString(1));
            ok.put("in_recovery", rs.getBoolean(2));
            ok.put("max_key", rs.getLong(3));
            ok.put("acked_max_key", attempt.key());
            return ok;
        }
    }
}
