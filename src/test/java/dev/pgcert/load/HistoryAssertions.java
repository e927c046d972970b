package dev.pgcert.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.history.Event;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Structural checks every load history must pass, whatever happened to the database. */
final class HistoryAssertions {

    private HistoryAssertions() {}

    /**
     * Times never go back in file order; per process, an INVOKE is followed by exactly one
     * completion of the same f before that process invokes again; no INVOKE is left open; a
     * process that had an INFO is never used again; write keys are unique.
     */
    static void assertWellFormed(List<Event> history) {
        long last = Long.MIN_VALUE;
        Map<String, Event> open = new HashMap<>();
        Set<String> retired = new HashSet<>();
        Set<Long> keys = new HashSet<>();
        for (Event e : history) {
            assertThat(e.nanos()).as("time of %s", e).isGreaterThanOrEqualTo(last);
            last = e.nanos();
            if (e.process().equals(FinalRead.PROCESS)) {
                continue;
            }
            assertThat(retired).as("process %s used after its INFO: %s", e.process(), e).doesNotContain(e.process());
            Event pending = open.get(e.process());
            if (e.type() == Event.Type.INVOKE) {
                assertThat(pending).as("INVOKE %s while %s is still open", e, pending).isNull();
                open.put(e.process(), e);
                if (e.f().equals(Event.Fn.WRITE)) {
                    assertThat(keys.add(HistoryFile.number(e, "key"))).as("write key reused: %s", e).isTrue();
                }
            } else {
                assertThat(pending).as("completion %s without an INVOKE", e).isNotNull();
                assertThat(e.f()).as("completion %s of %s", e, pending).isEqualTo(pending.f());
                if (e.f().equals(Event.Fn.WRITE)) {
                    assertThat(HistoryFile.number(e, "key")).isEqualTo(HistoryFile.number(pending, "key"));
                }
                open.remove(e.process());
                if (e.type() == Event.Type.INFO) {
                    retired.add(e.process());
                }
            }
        }
        assertThat(open).as("INVOKEs without completion").isEmpty();
    }
}
