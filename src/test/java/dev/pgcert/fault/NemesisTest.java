package dev.pgcert.fault;

import dev.pgcert.history.Event;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("unchecked")
class NemesisTest {
    private final List<Event> events = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Nemesis nemesis = new Nemesis(FaultContext.detached(FaultRecorder.toHistory(events::add)));

    /** A fault that only writes down what happened to it. */
    private final class Recording extends AbstractFault {
        private final boolean failStart;
        private final boolean failHeal;

        Recording(String id, boolean failStart, boolean failHeal) {
            super(id, "test", new Target.Primary());
            this.failStart = failStart;
            this.failHeal = failHeal;
        }

        @Override
        protected void inject(FaultContext context) {
            resolvedTo("node-" + id());
            note("did", "something");
            log.add("start " + id());
            if (failStart) throw new FaultException("start of " + id() + " broke halfway");
        }

        @Override
        protected void repair(FaultContext context) {
            log.add("heal " + id());
            if (failHeal) throw new FaultException("heal of " + id() + " broke");
        }
    }

    @Test
    void twoHealsOfOneFaultAtOnceHealItOnceAndRecordOneEnd() throws Exception {
        Fault f = nemesis.start(new Recording("a", false, false));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(new Thread(() -> nemesis.heal(f)));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        synchronized (events) {
            assertThat(events).extracting(e -> e.value().get("phase")).containsExactly("start", "end");
        }
        assertThat(log).containsExactly("start a", "heal a");
    }

    @Test
    void recordsStartAndEndEventsInTheHistoryShape() {
        Fault f = nemesis.start(new Recording("a", false, false));
        nemesis.heal(f);
        assertThat(events).hasSize(2);
        Event start = events.get(0);
        assertThat(start.type()).isEqualTo(Event.Type.INFO);
        assertThat(start.f()).isEqualTo("fault");
        assertThat(start.process()).isEqualTo("nemesis");
        assertThat(start.value()).containsEntry("id", "a").containsEntry("kind", "test")
                .containsEntry("phase", "start").containsEntry("target", "node-a");
        assertThat((Map<String, Object>) start.value().get("detail")).containsEntry("did", "something").containsKey("inject_ms");
        assertThat(events.get(1).value()).containsEntry("phase", "end");
        assertThat(events.get(1).nanos()).isGreaterThanOrEqualTo(start.nanos());
    }

    @Test
    void healIsIdempotentAndHealingANeverStartedFaultIsHarmless() {
        Recording never = new Recording("n", false, false);
        nemesis.heal(never);
        never.heal(nemesis.context());
        Fault f = nemesis.start(new Recording("a", false, false));
        nemesis.heal(f);
        nemesis.heal(f);
        f.heal(nemesis.context());
        nemesis.healAll();
        assertThat(log).containsExactly("start a", "heal a");
    }

    @Test
    void aFailedStartIsStillHealed() {
        assertThatThrownBy(() -> nemesis.start(new Recording("a", true, false))).hasMessageContaining("halfway");
        assertThat(nemesis.active()).hasSize(1);
        nemesis.healAll();
        assertThat(log).containsExactly("start a", "heal a");
        assertThat((Map<String, Object>) events.get(0).value().get("detail")).containsKey("error");
    }

    @Test
    void healAllHealsNewestFirstAndTriesEveryFaultEvenWhenOneFails() {
        nemesis.start(new Recording("a", false, false));
        nemesis.start(new Recording("b", false, true));
        nemesis.start(new Recording("c", false, false));
        assertThatThrownBy(nemesis::healAll).hasMessageContaining("healing 1 fault(s) failed").hasMessageContaining("heal of b");
        assertThat(log).containsExactly("start a", "start b", "start c", "heal c", "heal b", "heal a");
        assertThat(nemesis.active()).extracting(Fault::id).containsExactly("b");
        assertThat(nemesis.started()).extracting(Fault::id).containsExactly("a", "b", "c");
    }

    @Test
    void aFaultCannotBeStartedTwiceButAgainAfterHeal() {
        Recording f = new Recording("a", false, false);
        nemesis.start(f);
        assertThatThrownBy(() -> f.start(nemesis.context())).hasMessageContaining("already active");
        nemesis.heal(f);
        nemesis.start(f);
        assertThat(log).containsExactly("start a", "heal a", "start a");
    }

    @Test
    void aRunThatStopsAtAFailedStartHealsEveryFaultItStartedWhenTheNemesisCloses() {
        // As ScenarioRunner does: faults started phase by phase, the nemesis closed however the run ends.
        List<Fault> phases = List.of(new Recording("a", false, false), new Recording("b", true, false),
                new Recording("c", false, false));
        assertThatThrownBy(() -> {
            try (Nemesis run = nemesis) {
                phases.forEach(run::start);
            }
        }).hasMessageContaining("start of b");
        assertThat(log).containsExactly("start a", "start b", "heal b", "heal a");
        assertThat(nemesis.active()).isEmpty();
        assertThat(nemesis.started()).extracting(Fault::id).containsExactly("a", "b");
    }
}
