package dev.pgcert.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.history.Event;
import dev.pgcert.history.HistoryWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a worker records each kind of outcome, without a database: the connection and operation are scripted. */
class LaneTest {

    @TempDir
    Path dir;

    /** What the next operation does: return normally, or throw. */
    private final Deque<SQLException> script = new ArrayDeque<>();
    private boolean connectionFails;

    private final AtomicLong nextKey = new AtomicLong(1);
    private final AtomicLong acked = new AtomicLong();

    /** A write whose run() throws the scripted exception, or returns an OK value. */
    private Operation scriptedWrite() {
        WriteOperation real = new WriteOperation(nextKey, acked, null);
        return new Operation() {
            public String f() { return real.f(); }
            public Endpoint endpoint() { return Endpoint.RW; }
            public boolean mutates() { return true; }
            public Attempt begin() { return real.begin(); }
            public Map<String, Object> run(Connection c, Attempt a) throws SQLException {
                SQLException e = script.poll();
                if (e != null) {
                    throw e;
                }
                return Map.of("key", a.key(), "node", "n1", "timeline", 1);
            }
            public void succeeded(Attempt a) { real.succeeded(a); }
        };
    }

    private Operation scriptedRead() {
        Operation w = scriptedWrite();
        return new Operation() {
            public String f() { return Event.Fn.READ; }
            public Endpoint endpoint() { return Endpoint.RO; }
            public boolean mutates() { return false; }
            public Attempt begin() { return new Attempt(Map.of("endpoint", "ro"), 0); }
            public Map<String, Object> run(Connection c, Attempt a) throws SQLException { return w.run(c, a); }
        };
    }

    @Test
    void recordsEachOutcomeAndRetiresAProcessAfterAnUnknownOne() throws Exception {
        Path file = dir.resolve("h.jsonl");
        try (HistoryWriter history = HistoryWriter.buffered(file)) {
            Lane lane = new Lane("w", fakePool(), 1, 10, history, new Counters());
            Operation write = scriptedWrite();
            runOne(lane, write);                                               // OK
            script.add(new SQLException("duplicate key", "23505"));
            runOne(lane, write);                                               // FAIL: rejected
            script.add(new NotCommitted(new SQLException("I/O error", "08006"))); // FAIL: broke before COMMIT
            runOne(lane, write);
            script.add(new SQLException("I/O error", "08006"));
            assertThat(runOne(lane, write).type()).isEqualTo(Event.Type.INFO);  // INFO: broke after sending
            connectionFails = true;
            runOne(lane, write);                                               // FAIL: no connection
            connectionFails = false;
            script.add(new SQLException("I/O error", "08006"));
            runOne(lane, scriptedRead());                                      // a read has no effect: FAIL
            lane.drain(java.time.Duration.ofSeconds(5));
            lane.close();
        }
        List<Event> events = HistoryFile.read(file);
        HistoryAssertions.assertWellFormed(events);
        List<Event> completions = events.stream().filter(e -> e.type() != Event.Type.INVOKE).toList();
        assertThat(completions).extracting(Event::type).containsExactly(
                Event.Type.OK, Event.Type.FAIL, Event.Type.FAIL, Event.Type.INFO, Event.Type.FAIL, Event.Type.FAIL);
        assertThat(completions).extracting(Event::process).containsExactly("w0", "w0", "w0", "w0", "w1", "w1");
        assertThat(completions.get(1).value()).containsEntry("key", 2L).containsEntry("sqlstate", "23505")
                .containsEntry("error", "duplicate key").doesNotContainKey("endpoint");
        assertThat(completions.get(4).value()).containsEntry("sqlstate", "08001");
        assertThat(acked.get()).as("highest acknowledged key").isEqualTo(1);
    }

    private Lane.Done runOne(Lane lane, Operation op) throws Exception {
        CompletableFuture<Lane.Done> done = new CompletableFuture<>();
        assertThat(lane.submit(op, done::complete)).isTrue();
        return done.get(5, TimeUnit.SECONDS);
    }

    /** A pool whose connections do nothing, or that cannot connect. */
    private DataSource fakePool() {
        Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
        return new DataSource() {
            public Connection getConnection() throws SQLException {
                if (connectionFails) {
                    throw new SQLException("Connection is not available, request timed out after 1000ms", "08001");
                }
                return connection;
            }
            public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }
            public PrintWriter getLogWriter() { return null; }
            public void setLogWriter(PrintWriter out) {}
            public void setLoginTimeout(int seconds) {}
            public int getLoginTimeout() { return 0; }
            public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException { throw new java.sql.SQLFeatureNotSupportedException(); }
            public <T> T unwrap(Class<T> iface) { return null; }
            public boolean isWrapperFor(Class<?> iface) { return false; }
        };
    }
}
