package dev.pgcert.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.history.Event;
import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OutcomesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // the server rejected or rolled back the statement: surely no effect
            "23505, FAIL",  // duplicate key
            "25006, FAIL",  // read-only transaction: the write reached a standby
            "40001, FAIL",  // serialization failure
            "40P01, FAIL",  // deadlock
            "42501, FAIL",  // permission denied
            "53100, FAIL",  // disk full: the statement failed
            "57014, FAIL",  // canceled (statement timeout)
            "08001, FAIL",  // no connection: nothing was sent
            "08004, FAIL",  // connection rejected
            "57P03, FAIL",  // cannot connect now
            "28P01, FAIL",  // bad password
            // the session ended under the statement: it may have committed
            "08006, INFO",  // connection failure (I/O error while sending or receiving)
            "08003, INFO",  // connection does not exist
            "57P01, INFO",  // admin shutdown (also sent after a commit while waiting for a sync standby)
            "57P02, INFO",  // crash shutdown
            "58030, INFO",  // I/O error on the server
            "XX000, INFO",  // internal error
    })
    void classifiesBySqlState(String state, Event.Type expected) {
        assertThat(Outcomes.ofSentWrite(new SQLException("x", state))).isEqualTo(expected);
    }

    @Test
    void noSqlStateIsUnknown() {
        assertThat(Outcomes.ofSentWrite(new SQLException("broken", (String) null, new SocketTimeoutException("Read timed out"))))
                .isEqualTo(Event.Type.INFO);
    }

    @Test
    void sqlStateIsFoundInTheCauseChain() {
        SQLException outer = new SQLTransientConnectionException("pool timeout", null, new SQLException("refused", "08001"));
        assertThat(Outcomes.sqlState(outer)).isEqualTo("08001");
        assertThat(Outcomes.ofSentWrite(outer)).isEqualTo(Event.Type.FAIL);
    }

    @Test
    void describeNamesTheIoCauseOnOneLine() {
        SQLException e = new SQLException("An I/O error occurred while sending to the backend.\nDetail", "08006",
                new EOFException("end of stream"));
        assertThat(Outcomes.describe(e))
                .isEqualTo("An I/O error occurred while sending to the backend. (EOFException: end of stream)");
    }
}
