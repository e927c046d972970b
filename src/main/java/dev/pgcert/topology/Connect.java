package dev.pgcert.topology;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the application reaches the cluster: the connection path the load and the probe use, so a
 * scenario certifies the path the application really uses.
 *
 * @param path               the path
 * @param leaderCheckInterval {@link Path#PGBOUNCER} only: how often PgBouncer's leader follower asks each node's
 *                           Patroni {@code /primary} (it re-points PgBouncer when the answer changes)
 * @param hostRecheck        {@link Path#JDBC_MULTIHOST} only: PgJDBC's {@code hostRecheckSeconds}, how long the
 *                           driver trusts what it learnt about a host (primary or standby) before asking again
 */
public record Connect(Path path, Duration leaderCheckInterval, Duration hostRecheck) {

    /** PgJDBC's own default {@code hostRecheckSeconds}. */
    public static final Duration PGJDBC_HOST_RECHECK = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LEADER_CHECK = Duration.ofSeconds(1);

    /** The connection paths, each written in the topology as its {@link #key()}. */
    public enum Path {
        /** PgBouncer in front of HAProxy (the harness's default when the topology has PgBouncer). */
        PGBOUNCER_HAPROXY("pgbouncer-haproxy", true, true),
        /** HAProxy only. */
        HAPROXY("haproxy", true, false),
        /** PgBouncer alone in front of the nodes, re-pointed at the leader by a follower that polls Patroni's REST API. */
        PGBOUNCER("pgbouncer", false, true),
        /** PgJDBC multi-host URLs straight to the nodes: targetServerType=primary for writes, preferSecondary for reads. */
        JDBC_MULTIHOST("jdbc-multihost", false, false);

        private final String key;
        private final boolean router;
        private final boolean pooler;

        Path(String key, boolean router, boolean pooler) {
            this.key = key;
            this.router = router;
            this.pooler = pooler;
        }

        public String key() { return key; }
        /** Whether HAProxy runs on this path. */
        public boolean router() { return router; }
        /** Whether PgBouncer runs on this path. */
        public boolean pooler() { return pooler; }

        public static List<String> keys() {
            return Arrays.stream(values()).map(Path::key).toList();
        }

        public static Optional<Path> byKey(String key) {
            return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
        }
    }

    public static Connect of(Path path) {
        return new Connect(path, DEFAULT_LEADER_CHECK, PGJDBC_HOST_RECHECK);
    }

    /** What a topology without {@code connect:} runs: PgBouncer in front of HAProxy when it has PgBouncer, else HAProxy. */
    public static Connect defaultFor(boolean hasPgBouncer) {
        return of(hasPgBouncer ? Path.PGBOUNCER_HAPROXY : Path.HAPROXY);
    }

    public boolean router() { return path.router(); }
    public boolean pooler() { return path.pooler(); }
}
