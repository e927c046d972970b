package dev.pgcert.load;

import dev.pgcert.history.Event;
import dev.pgcert.history.HistoryWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last word of a run: every ledger key present on the final primary, read after the cluster
 * has settled, as a {@code final-read} OK event {node, keys}, with every list of the list-append
 * table ({@code lists}: {key: [values]}) when it has rows. The checkers hold each acknowledged
 * write and append against it.
 */
public final class FinalRead {

    /** The history process of the final read. */
    public static final String PROCESS = "final";

    private FinalRead() {}

    /** Reads every key on {@code primary} and returns the event, stamped when the read finished. */
    public static Event read(Connection primary) throws SQLException {
        String node;
        List<Long> keys = new ArrayList<>();
        try (Statement st = primary.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_setting('pgcert.node', true)")) {
                rs.next();
                node = rs.getString(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT k FROM pgcert_ledger ORDER BY k")) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
        }
        Map<String, Object> lists = new LinkedHashMap<>();
        try (Statement st = primary.createStatement();
             ResultSet rs = st.executeQuery("SELECT k, vals FROM pgcert_lists ORDER BY k")) {
            while (rs.next()) {
                List<Long> values = new ArrayList<>();
                for (Object v : (Object[]) rs.getArray(2).getArray()) {
                    values.add(((Number) v).longValue());
                }
                lists.put(Long.toString(rs.getLong(1)), values);
            }
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("node", node);
        value.put("keys", keys);
        if (!lists.isEmpty()) {
            value.put("lists", lists);
        }
        return new Event(System.nanoTime(), PROCESS, Event.Type.OK, Event.Fn.FINAL_READ, value);
    }

    /** Reads every key on {@code primary} and appends the event to the history file. */
    public static Event record(Connection primary, Path historyFile) throws SQLException {
        Event e = read(primary);
        try (HistoryWriter history = HistoryWriter.buffered(historyFile)) {
            history.append(e);
        }
        return e;
    }
}
