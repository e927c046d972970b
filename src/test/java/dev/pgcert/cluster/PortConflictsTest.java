package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PortConflictsTest {
    private static final String DOCKER_ALLOCATOR = "Status 500: driver failed programming external connectivity on endpoint"
            + " pgcert-x-db: Bind for 127.0.0.1:37385 failed: port is already allocated";
    private static final String KERNEL = "Error starting userland proxy: listen tcp4 127.0.0.1:20000: bind: address already in use";

    @Test
    void aBindConflictIsRetriedAfterRemovingTheFailedContainer() {
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger removals = new AtomicInteger();
        PortConflicts.start("db", () -> {
            if (starts.incrementAndGet() < 3) {
                throw new IllegalStateException("Could not create/start container",
                        new RuntimeException(starts.get() == 1 ? DOCKER_ALLOCATOR : KERNEL));
            }
        }, removals::incrementAndGet);
        assertThat(starts).hasValue(3);
        assertThat(removals).hasValue(2);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger starts = new AtomicInteger();
        assertThatThrownBy(() -> PortConflicts.start("db", () -> {
            starts.incrementAndGet();
            throw new IllegalStateException("Container exited with code 1");
        }, () -> { })).hasMessage("Container exited with code 1");
        assertThat(starts).hasValue(1);
    }

    @Test
    void retriesAreBounded() {
        AtomicInteger starts = new AtomicInteger();
        assertThatThrownBy(() -> PortConflicts.start("db", () -> {
            starts.incrementAndGet();
            throw new IllegalStateException(KERNEL);
        }, () -> { })).hasMessageContaining("address already in use");
        assertThat(starts).hasValue(PortConflicts.ATTEMPTS);
    }
}
