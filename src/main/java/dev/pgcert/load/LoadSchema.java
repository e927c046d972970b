package dev.pgcert.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The load's tables, made fresh for a run, and the application role's rights on them: exactly what
 * the operations need and nothing more.
 *
 * <pre>
 * pgcert_ledger(k bigint primary key)                   -- writes: SELECT, INSERT
 * pgcert_bank(id int primary key, balance bigint)       -- transfers: SELECT, UPDATE
 * pgcert_lists(k bigint primary key, vals bigint[])     -- list-append transactions: SELECT, INSERT, UPDATE
 * </pre>
 */
public final class LoadSchema {

    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    private LoadSchema() {}

    /**
     * Drops and re-creates the tables (a run starts from an empty ledger), fills the bank with
     * {@code bankAccounts} accounts holding {@code bankTotal} between them, and grants
     * {@code appRole} its rights. Runs as one transaction on a superuser (or owner) connection.
     */
    public static void install(Connection superuser, String appRole, int bankAccounts, long bankTotal) throws SQLException {
        if (!ROLE.matcher(appRole).matches()) {
            throw new IllegalArgumentException("role name must be a lower-case SQL identifier, got '" + appRole + "'");
        }
        if (bankAccounts < 0 || bankTotal < 0) {
            throw new IllegalArgumentException("bank accounts and total must be >= 0");
        }
        String role = '"' + appRole + '"';
        boolean autoCommit = superuser.getAutoCommit();
        superuser.setAutoCommit(false);
        try (Statement st = superuser.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pgcert_ledger, pgcert_bank, pgcert_lists");
            st.execute("CREATE TABLE pgcert_ledger (k bigint PRIMARY KEY)");
            st.execute("CREATE TABLE pgcert_bank (id int PRIMARY KEY, balance bigint NOT NULL)");
            st.execute("CREATE TABLE pgcert_lists (k bigint PRIMARY KEY, vals bigint[] NOT NULL)");
            if (bankAccounts > 0) {
                // An even share each; the remainder goes to account 1 so the total is exact.
                try (PreparedStatement ps = superuser.prepareStatement(
                        "INSERT INTO pgcert_bank SELECT g, ?::bigint / ? + CASE WHEN g = 1 THEN ?::bigint % ? ELSE 0 END "
                                + "FROM generate_series(1, ?) g")) {
                    ps.setLong(1, bankTotal);
                    ps.setInt(2, bankAccounts);
                    ps.setLong(3, bankTotal);
                    ps.setInt(4, bankAccounts);
                    ps.setInt(5, bankAccounts);
                    ps.executeUpdate();
                }
            }
            st.execute("GRANT USAGE ON SCHEMA public TO " + role);
            st.execute("GRANT SELECT, INSERT ON pgcert_ledger TO " + role);
            st.execute("GRANT SELECT, UPDATE ON pgcert_bank TO " + role);
            st.execute("GRANT SELECT, INSERT, UPDATE ON pgcert_lists TO " + role);
            superuser.commit();
        } catch (SQLException | RuntimeException e) {
            superuser.rollback();
            throw e;
        } finally {
            superuser.setAutoCommit(autoCommit);
        }
    }
}
