package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jepsen Elle's list-append workload: one transaction of 1 to {@code max_ops} micro-operations, each
 * an append of a fresh value to a key's list or a read of a key's whole list, at the chosen isolation
 * level. Each key is a row of {@code pgcert_lists(k, vals bigint[])}; an append is an upsert that
 * concatenates ({@code vals || ARRAY[v]}), a read selects the array. Values are unique across the run
 * (one counter), and a key that has taken {@code max_appends} values is retired for a fresh one, so
 * lists stay short and reads cheap, as Elle's generator does.
 *
 * <p>Recorded: INVOKE {txn: [["append", k, v], ["r", k, null], ..], isolation}; OK the same with each
 * read's list filled in, the node that served it, and the level the server says the transaction ran at
 * ({@code isolation_seen}). The level is set inside each transaction ({@code SET TRANSACTION}), so it
 * holds behind PgBouncer's transaction pooling too. A failure before COMMIT is sent is definite
 * (FAIL); a lost COMMIT is for {@link Outcomes} to judge.
 */
final class ListAppendOperation extends AbstractOperation {

    static final String APPEND = "INSERT INTO pgcert_lists(k, vals) VALUES (?, ARRAY[?::bigint]) "
            + "ON CONFLICT (k) DO UPDATE SET vals = pgcert_lists.vals || EXCLUDED.vals";
    static final String READ = "SELECT vals FROM pgcert_lists WHERE k = ?";
    static final String NODE = "SELECT current_setting('pgcert.node', true), current_setting('transaction_isolation')";

    private final LoadSpec.Lists shape;
    private final long[] active;       // the keys in use
    private final int[] appends;       // appends handed out per active slot
    private long nextKey;
    private long nextValue = 1;

    ListAppendOperation(LoadSpec.Lists shape) {
        super(Event.Fn.TXN, Endpoint.RW, true);
        this.shape = shape;
        this.active = new long[shape.keys()];
        this.appends = new int[shape.keys()];
        for (int i = 0; i < active.length; i++) {
            active[i] = i + 1;
        }
        this.nextKey = active.length + 1;
    }

    @Override
    public synchronized Attempt begin() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int ops = 1 + r.nextInt(shape.maxOps());
        List<List<Object>> txn = new ArrayList<>(ops);
        for (int i = 0; i < ops; i++) {
            int slot = r.nextInt(active.length);
            long key = active[slot];
            if (r.nextBoolean()) {
                txn.add(Arrays.asList("r", key, null));
            } else {
                txn.add(Arrays.asList("append", key, nextValue++));
                if (++appends[slot] >= shape.maxAppends()) {
                    active[slot] = nextKey++; // retire the key: its list is long enough
                    appends[slot] = 0;
                }
            }
        }
        Map<String, Object> invoke = new LinkedHashMap<>();
        invoke.put("txn", txn);
        invoke.put("isolation", shape.isolation().key);
        invoke.put("endpoint", Endpoint.RW.key());
        return new Attempt(invoke, 0);
    }

    @Override
    public Map<String, Object> run(Connection c, Attempt attempt) throws SQLException {
        @SuppressWarnings("unchecked")
        List<List<Object>> txn = (List<List<Object>>) attempt.invoke().get("txn");
        List<List<Object>> done = new ArrayList<>(txn.size());
        String node;
        String seen;
        c.setAutoCommit(false);
        // Not Connection.setTransactionIsolation: PgJDBC makes that the session's default (SET SESSION
        // CHARACTERISTICS), which PgBouncer's transaction pooling does not carry to the server connection
        // that runs the transaction. Measured: behind it, "serializable" transactions ran at read committed.
        try (java.sql.Statement set = c.createStatement()) {
            set.execute("SET TRANSACTION ISOLATION LEVEL " + shape.isolation().sql);
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e instanceof NotCommitted ? e : new NotCommitted(e);
        }
        try (PreparedStatement append = c.prepareStatement(APPEND); PreparedStatement read = c.prepareStatement(READ)) {
            for (List<Object> mop : txn) {
                long key = (Long) mop.get(1);
                if (mop.get(0).equals("append")) {
                    append.setLong(1, key);
                    append.setLong(2, (Long) mop.get(2));
                    append.executeUpdate();
                    done.add(mop);
                } else {
                    read.setLong(1, key);
                    done.add(Arrays.asList("r", key, readList(read)));
                }
            }
            try (PreparedStatement n = c.prepareStatement(NODE); ResultSet rs = n.executeQuery()) {
                rs.next();
                node = rs.getString(1);
                seen = rs.getString(2);
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e instanceof NotCommitted ? e : new NotCommitted(e);
        }
        c.commit(); // only a failure here can leave the outcome unknown
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("txn", done);
        ok.put("isolation", shape.isolation().key);
        ok.put("node", node);
        ok.put("isolation_seen", seen == null ? null : seen.replace(' ', '_'));
        return ok;
    }

    private static List<Long> readList(PreparedStatement read) throws SQLException {
        try (ResultSet rs = read.executeQuery()) {
            if (!rs.next()) {
                return List.of();
            }
            Array a = rs.getArray(1);
            List<Long> values = new ArrayList<>();
            for (Object v : (Object[]) a.getArray()) {
                values.add(((Number) v).longValue());
            }
            return values;
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
