package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Moves a random amount between two random bank accounts in one transaction. Rows are updated in
 * id order so that two transfers never deadlock. A failure before COMMIT is sent is definite.
 */
final class TransferOperation extends AbstractOperation {

    static final String DEBIT = "UPDATE pgcert_bank SET balance = balance - ? WHERE id = ?";
    static final String CREDIT = "UPDATE pgcert_bank SET balance = balance + ? WHERE id = ?";

    private final LoadSpec.Bank bank;

    TransferOperation(LoadSpec.Bank bank) {
        super(Event.Fn.TRANSFER, Endpoint.RW, true);
        this.bank = bank;
    }

    @Override
    public Attempt begin() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int from = 1 + r.nextInt(bank.accounts());
        int to = 1 + r.nextInt(bank.accounts() - 1);
        if (to >= from) {
            to++; // uniform over the other accounts
        }
        Map<String, Object> invoke = new LinkedHashMap<>();
        invoke.put("from", from);
        invoke.put("to", to);
        invoke.put("amount", 1 + r.nextLong(bank.maxAmount()));
        return new Attempt(invoke, 0);
    }

    @Override
    public Map<String, Object> run(Connection c, Attempt attempt) throws SQLException {
        int from = (Integer) attempt.invoke().get("from");
        int to = (Integer) attempt.invoke().get("to");
        long amount = (Long) attempt.invoke().get("amount");
        c.setAutoCommit(false);
        try {
            if (from < to) {
                update(c, DEBIT, from, amount);
                update(c, CREDIT, to, amount);
            } else {
                update(c, CREDIT, to, amount);
                update(c, DEBIT, from, amount);
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e instanceof NotCommitted ? e : new NotCommitted(e);
        }
        c.commit(); // only a failure here can leave the outcome unknown
        return new LinkedHashMap<>(attempt.invoke());
    }

    private static void update(Connection c, String sql, int id, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, amount);
            ps.setInt(2, id);
            if (ps.executeUpdate() != 1) {
                throw new NotCommitted("bank account " + id + " does not exist");
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the server rolls the transaction back on its own
        }
    }
}
