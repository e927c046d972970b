package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniNodeContainer;
import dev.pgcert.cluster.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static dev.pgcert.fault.FaultTestCluster.measure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disk pressure on a cluster whose data directories and pg_wal are on separate size-limited volumes
 * (tmpfs), one etcd member.
 */
class DiskFaultsIT {
    private static final long DATA_VOLUME = 512L * 1024 * 1024;
    /** Room for wal_keep_size (256 MB) and more; max_wal_size is never reached by these tests' writes. */
    private static final long WAL_VOLUME = 384L * 1024 * 1024;
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of("disk", 1, Optional.of(DATA_VOLUME), Optional.of(WAL_VOLUME));

    @Test
    void fullDataVolumeFailsWritesAndHealingLetsThemSucceedAgain() {
        String primary = c.leader();
        Fault fill = c.nemesis.start(c.fault("fill", Map.of("kind", "disk-full", "target", "primary", "volume", "data", "fill", "100%")));
        long filledAt = System.nanoTime();
        assertThat((Long) fill.detail().get("available_after_bytes")).isZero();

        AtomicReference<String> error = new AtomicReference<>();
        // A new table's pages need new blocks at once; WAL alone could live in already allocated segments.
        Waits.until("a write on " + primary + " to fail for lack of space", c.budgets.failover(), c.budgets.poll(), () -> {
            try (Connection conn = c.connect(primary); Statement s = conn.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS disk_probe (payload text)");
                s.executeUpdate("INSERT INTO disk_probe SELECT repeat('d', 1000) FROM generate_series(1, 2000)");
                return Waits.Probe.notYet("write succeeded");
            } catch (SQLException e) {
                error.set(e.getMessage());
                return Waits.Probe.done(e.getMessage());
            }
        });
        measure("disk-full", "first failed write", since(filledAt), c.budgets.failover());
        System.out.println("write on full disk failed with: " + error.get());
        assertThat(error.get()).containsAnyOf("No space left on device", "terminating connection", "PANIC",
                "An I/O error occurred", "Connection refused");

        c.nemesis.heal(fill);
        measure("disk-full", "writes succeed after ballast removed", c.awaitRouterWrite("after disk-full", c.budgets.rejoin()), c.budgets.rejoin());
    }

    /**
     * A full WAL volume, with room left on the data volume: the next WAL segment cannot be created, so a
     * write fails (PostgreSQL PANICs: it cannot go on without WAL) and the server log names pg_wal;
     * after the ballast is removed Patroni brings PostgreSQL back and writes succeed again.
     */
    @Test
    void fullWalVolumeStopsWritesAndHealingBringsThemBack() throws Exception {
        String primary = c.leader();
        Fault fill = c.nemesis.start(c.fault("wal-fill", Map.of("kind", "disk-full", "target", "primary", "volume", "wal", "fill", "100%")));
        long filledAt = System.nanoTime();
        assertThat(fill.detail()).containsEntry("mount", PatroniNodeContainer.walMount());
        assertThat((Long) fill.detail().get("available_after_bytes")).isZero();
        String dataFree = c.cluster.node(primary).execInContainer("df", "-B1", "--output=avail", PatroniNodeContainer.dataMount())
                .getStdout().lines().skip(1).findFirst().orElse("0").trim();
        assertThat(Long.parseLong(dataFree)).as("bytes free on %s's data volume", primary).isGreaterThan(64L << 20);

        AtomicReference<String> error = new AtomicReference<>();
        // About 20 MB of WAL per attempt: more than what is left of the current 16 MB segment.
        Waits.until("a write on " + primary + " to fail for lack of WAL space", c.budgets.failover(), c.budgets.poll(), () -> {
            try (Connection conn = c.connect(primary); Statement s = conn.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS wal_probe (payload text)");
                s.executeUpdate("INSERT INTO wal_probe SELECT repeat('w', 1000) FROM generate_series(1, 20000)");
                return Waits.Probe.notYet("write succeeded");
            } catch (SQLException e) {
                error.set(e.getMessage());
                return Waits.Probe.done(e.getMessage());
            }
        });
        measure("disk-full wal", "first failed write", since(filledAt), c.budgets.failover());
        String serverLog = c.cluster.node(primary).getLogs();
        String walLine = serverLog.lines().filter(l -> l.contains("No space left on device") && l.contains("pg_wal"))
                .findFirst().orElse("");
        System.out.println("write on a full WAL volume failed with: " + error.get() + "\nserver log: " + walLine);
        assertThat(walLine).as("%s's log: a WAL write that found no space", primary).isNotEmpty();

        c.nemesis.heal(fill);
        measure("disk-full wal", "writes succeed after ballast removed", c.awaitRouterWrite("after wal full", c.budgets.rejoin()), c.budgets.rejoin());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
