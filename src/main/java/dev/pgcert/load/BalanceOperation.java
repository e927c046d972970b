package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the sum of all bank balances in one snapshot: transfers must never change it. */
final class BalanceOperation extends AbstractOperation {

    static final String SQL = "SELECT coalesce(sum(balance), 0), current_setting('pgcert.node', true) FROM pgcert_bank";

    BalanceOperation(Endpoint endpoint) {
        super(Event.Fn.BALANCE, endpoint, false);
    }

    @Override
    public Attempt begin() {
        return new Attempt(endpointOnly(), 0);
    }

    @Override
    public Map<String, Object> run(Connection c, Attempt attempt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("total", rs.getLong(1));
            ok.put("node", rs.getString(2));
            return ok;
        }
    }
}
