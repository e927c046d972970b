package dev.pgcert.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Patroni cluster design, as a topology YAML file describes it. Immutable data: the cluster
 * package turns it into containers, the fault and scenario packages read its settings.
 *
 * @param name            cluster name, also Patroni's {@code scope}
 * @param source          the file it was read from (for messages), or a label for Java-built ones
 * @param postgresql      PostgreSQL parameters passed through Patroni's bootstrap DCS section
 * @param patroni         Patroni's dynamic settings (ttl, loop_wait, ...) as the stack's Patroni really runs
 *                        them: a value it raises to its minimum is held raised (the file gets a warning)
 * @param dcs             the etcd cluster
 * @param nodes           PostgreSQL + Patroni nodes; {@link #bootstrapNode()} becomes the first leader
 * @param pgbouncer       PgBouncer in front of the router, or empty for none
 * @param router          HAProxy with a read-write and a read-only port
 * @param toxiproxyLinks  links that go through Toxiproxy so link faults can act on them
 * @param images          image names and versions
 * @param startupTimeout  how long bootstrap (initdb, base backups, routing) may take before start fails
 * @param connect         how the application connects (the load's and the probe's path)
 * @param standbyCluster  a second Patroni cluster that follows this one, if any
 * @param backup          pgBackRest archiving and backups ({@code backup:}), empty for none
 */
public record Topology(
        String name,
        String source,
        Map<String, String> postgresql,
        PatroniSettings patroni,
        Dcs dcs,
        List<Node> nodes,
        Optional<PgBouncer> pgbouncer,
        Router router,
        List<ToxiproxyLink> toxiproxyLinks,
        Images images,
        Duration startupTimeout,
        Connect connect,
        Optional<StandbyCluster> standbyCluster,
        Optional<Backup> backup) {

    public Topology {
        postgresql = Map.copyOf(postgresql);
        nodes = List.copyOf(nodes);
        toxiproxyLinks = List.copyOf(toxiproxyLinks);
        backup = backup == null ? Optional.empty() : backup;
    }

    /** Without {@code connect:} (PgBouncer in front of HAProxy when there is PgBouncer, else HAProxy) without a standby cluster and without backups. */
    public Topology(String name, String source, Map<String, String> postgresql, PatroniSettings patroni, Dcs dcs,
                    List<Node> nodes, Optional<PgBouncer> pgbouncer, Router router, List<ToxiproxyLink> toxiproxyLinks,
                    Images images, Duration startupTimeout) {
        this(name, source, postgresql, patroni, dcs, nodes, pgbouncer, router, toxiproxyLinks, images, startupTimeout,
                Connect.defaultFor(pgbouncer.isPresent()), Optional.empty(), Optional.empty());
    }

    public Node node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named " + nodeName + " in topology " + name));
    }

    /**
     * The node that bootstraps the cluster and is its first primary, decided here once for the reader's
     * checks and the cluster's start (see {@link #bootstrapNodeOf}). Empty when no node may: such a
     * cluster cannot start.
     */
    public Optional<Node> bootstrapNode() {
        return bootstrapNodeOf(nodes);
    }

    /**
     * The first node that may fail over (Patroni does not let a nofailover node run initdb or take the
     * leader lock) and has no {@code replicatefrom} tag (such a node is meant to stream from another,
     * not to lead).
     */
    public static Optional<Node> bootstrapNodeOf(List<Node> nodes) {
        return nodes.stream().filter(n -> !n.noFailover() && n.replicateFrom().isEmpty()).findFirst();
    }

    /**
     * Patroni settings. The typed fields are the ones the harness itself reads (waits, predictions,
     * checks); {@code more} holds every other {@code patroni:} key as read ({@link PatroniCatalog}),
     * by its key, with Integer/Long/Boolean/String/List/Map values, a Duration for {@code member_slots_ttl},
     * and the slot maps as Patroni takes them; each is rendered into patroni.yml where Patroni reads it.
     */
    public record PatroniSettings(
            int ttl,
            int loopWait,
            int retryTimeout,
            long maximumLagOnFailover,
            boolean synchronousMode,
            boolean synchronousModeStrict,
            int synchronousNodeCount,
            boolean usePgRewind,
            boolean failsafeMode,
            boolean quorumCommit,
            Map<String, Object> more) {

        /**
         * Keys of {@link #more} that belong in each node's own patroni.yml ({@code postgresql.pg_hba},
         * {@code postgresql.pg_ident}, {@code postgresql.pg_ctl_timeout}, ..., {@code log.level}), not in bootstrap.dcs.
         */
        public static final List<String> NODE_LOCAL_KEYS = List.of("pg_hba", "pg_ident", "pg_ctl_timeout",
                "remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines", "log_level");

        public PatroniSettings {
            more = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(more));
        }

        public PatroniSettings(int ttl, int loopWait, int retryTimeout, long maximumLagOnFailover,
                               boolean synchronousMode, boolean synchronousModeStrict, int synchronousNodeCount,
                               boolean usePgRewind, boolean failsafeMode, boolean quorumCommit) {
            this(ttl, loopWait, retryTimeout, maximumLagOnFailover, synchronousMode, synchronousModeStrict,
                    synchronousNodeCount, usePgRewind, failsafeMode, quorumCommit, Map.of());
        }

        /**
         * These settings as the stack's Patroni really runs them: from 3.2 it raises ttl, loop_wait and
         * retry_timeout to its minimums (PatroniRules). The topology reader does the same with a warning at
         * the key's line; this is for topologies built in code (tests, tools), whose waits must use what runs.
         */
        public PatroniSettings asRunBy(Stack stack) {
            if (!PatroniRules.adjustsTimeouts(stack)) {
                return this;
            }
            return new PatroniSettings(Math.max(ttl, PatroniRules.MIN_TTL), Math.max(loopWait, PatroniRules.MIN_LOOP_WAIT),
                    Math.max(retryTimeout, PatroniRules.MIN_RETRY_TIMEOUT), maximumLagOnFailover, synchronousMode,
                    synchronousModeStrict, synchronousNodeCount, usePgRewind, failsafeMode, quorumCommit, more);
        }

        /** Without quorum commit ({@code synchronous_mode: true} or {@code false}). */
        public PatroniSettings(int ttl, int loopWait, int retryTimeout, long maximumLagOnFailover,
                               boolean synchronousMode, boolean synchronousModeStrict, int synchronousNodeCount,
                               boolean usePgRewind, boolean failsafeMode) {
            this(ttl, loopWait, retryTimeout, maximumLagOnFailover, synchronousMode, synchronousModeStrict,
                    synchronousNodeCount, usePgRewind, failsafeMode, false);
        }

        public static PatroniSettings defaults() {
            // Patroni's own defaults (ttl 30, loop_wait 10, retry_timeout 10, 1 MiB lag).
            return new PatroniSettings(30, 10, 10, 1_048_576L, false, false, 1, true, false);
        }

        /** Patroni's {@code synchronous_mode} value: {@code quorum} (Patroni 4.0+), true or false. */
        public Object synchronousModeValue() {
            return quorumCommit ? "quorum" : synchronousMode;
        }

        /** A setting of {@link #more} by its topology key, such as {@code primary_start_timeout}. */
        public Optional<Object> setting(String key) {
            return Optional.ofNullable(more.get(key));
        }
    }

    /** The etcd DCS: 1 or 3 members. */
    public record Dcs(int members) {
        /** The etcd members' names in a run ({@code etcd1}, {@code etcd2}, ...), as containers and fault targets. */
        public java.util.List<String> memberNames() {
            return java.util.stream.IntStream.rangeClosed(1, members).mapToObj(i -> "etcd" + i).toList();
        }
    }

    /**
     * A PostgreSQL + Patroni node.
     *
     * @param replicateFrom  Patroni's {@code replicatefrom} tag: stream from this node instead of the leader
     * @param noFailover     this node may not lead: {@code nofailover: true}, or {@code failover_priority: 0}
     * @param dataVolumeSize size limit of the data directory in bytes (a tmpfs), empty for an unlimited volume
     * @param walVolumeSize  size of a separate pg_wal volume in bytes, empty for WAL inside the data directory
     * @param tags           every Patroni tag as written ({@link PatroniCatalog#TAGS}), rendered verbatim
     */
    public record Node(
            String name,
            Optional<String> replicateFrom,
            boolean noFailover,
            boolean noLoadBalance,
            Optional<Long> dataVolumeSize,
            Optional<Long> walVolumeSize,
            Map<String, Object> tags) {

        public Node {
            tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        }

        public Node(String name, Optional<String> replicateFrom, boolean noFailover, boolean noLoadBalance,
                    Optional<Long> dataVolumeSize, Optional<Long> walVolumeSize) {
            this(name, replicateFrom, noFailover, noLoadBalance, dataVolumeSize, walVolumeSize, Map.of());
        }
    }

    /**
     * PgBouncer between clients and the router.
     *
     * @param more every other {@code [pgbouncer]} setting as read ({@link PgBouncerCatalog}): Integer, Duration
     *             or String values by key, rendered into pgbouncer.ini
     */
    public record PgBouncer(PoolMode poolMode, int defaultPoolSize, int maxClientConn, Duration serverLoginRetry,
                            Map<String, Object> more) {
        /**
         * Whether a {@code [pgbouncer]} key is one of PgBouncer's times (seconds in pgbouncer.ini, a duration
         * in a topology), as the stacks' PgBouncer versions define them (PgBouncerCatalog).
         */
        public static boolean isTime(String key) {
            return PgBouncerCatalog.SETTINGS.setting(key).map(s -> s.kind() == Setting.Kind.DURATION).orElse(false);
        }

        public enum PoolMode { SESSION, TRANSACTION }

        public PgBouncer {
            more = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(more));
        }

        public PgBouncer(PoolMode poolMode, int defaultPoolSize, int maxClientConn, Duration serverLoginRetry) {
            this(poolMode, defaultPoolSize, maxClientConn, serverLoginRetry, Map.of());
        }
    }

    /**
     * HAProxy. Each port routes by a check: a Patroni REST endpoint ({@code /primary}, {@code /replica},
     * {@code /read-only}, ...) or a fixed node (to describe flawed designs).
     *
     * @param checkInterval    HAProxy's {@code inter} for both ports (a route may override it)
     * @param shutdownSessions {@code on-marked-down shutdown-sessions} (a route may override it)
     * @param timeouts         HAProxy's {@code timeout connect/client/server/check}
     * @param template         a haproxy.cfg template of the user's own, with its file name
     */
    public record Router(RouteCheck readWrite, RouteCheck readOnly, Duration checkInterval, int fall, int rise,
                         boolean shutdownSessions, RouterTimeouts timeouts, Optional<RouterTemplate> template) {

        public Router(RouteCheck readWrite, RouteCheck readOnly, Duration checkInterval, int fall, int rise) {
            this(readWrite, readOnly, checkInterval, fall, rise, true, RouterTimeouts.DEFAULTS, Optional.empty());
        }

        /** The {@code inter} a route's servers are checked with. */
        public Duration checkIntervalOf(RouteCheck route) {
            return route.checkInterval().orElse(checkInterval);
        }

        public int fallOf(RouteCheck route) {
            return route.fall().orElse(fall);
        }

        public int riseOf(RouteCheck route) {
            return route.rise().orElse(rise);
        }

        public boolean shutdownSessionsOf(RouteCheck route) {
            return route.shutdownSessions().orElse(shutdownSessions);
        }
    }

    /** HAProxy's timeouts (its defaults section). */
    public record RouterTimeouts(Duration connect, Duration client, Duration server, Duration check) {
        public static final RouterTimeouts DEFAULTS = new RouterTimeouts(Duration.ofSeconds(2), Duration.ofMinutes(30),
                Duration.ofMinutes(30), Duration.ofSeconds(2));
    }

    /** A haproxy.cfg template: its text and the file it came from (for messages). */
    public record RouterTemplate(String file, String text) {}

    /**
     * @param patroniEndpoint  the REST path HAProxy checks (e.g. {@code /primary}), empty when pinned
     * @param fixedNode        route to this node only, without a health check
     * @param maxLagBytes      for replica checks: Patroni's {@code ?lag=} limit
     * @param checkInterval    this port's {@code inter}, when it differs from the router's
     * @param fall             this port's {@code fall}, when it differs
     * @param rise             this port's {@code rise}, when it differs
     * @param shutdownSessions this port's {@code on-marked-down shutdown-sessions}, when it differs
     */
    public record RouteCheck(Optional<String> patroniEndpoint, Optional<String> fixedNode, Optional<Long> maxLagBytes,
                             Optional<Duration> checkInterval, Optional<Integer> fall, Optional<Integer> rise,
                             Optional<Boolean> shutdownSessions) {
        public RouteCheck(Optional<String> patroniEndpoint, Optional<String> fixedNode, Optional<Long> maxLagBytes) {
            this(patroniEndpoint, fixedNode, maxLagBytes, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }

        public static RouteCheck endpoint(String path) {
            return new RouteCheck(Optional.of(path), Optional.empty(), Optional.empty());
        }
    }

    /** A link that passes through Toxiproxy. */
    public record ToxiproxyLink(LinkKind kind, String node) {
        public enum LinkKind {
            /** clients to the router (or PgBouncer when there is one); {@code node} is unused */
            CLIENT,
            /** a replica's replication stream to its upstream */
            REPLICATION,
            /** a node's Patroni connection to etcd */
            DCS
        }
    }

    /**
     * Images: built by the harness from the Dockerfiles in {@code src/main/docker} on the stack's base
     * image (the default), or taken from a registry under {@code registry} (a team's mirror).
     *
     * @param stack         the stack the cluster runs on: its Debian release, versions, and Patroni's rules
     * @param baseImage     the stack's base image unless the topology's {@code images.base} names another
     * @param postgresMajor the stack's PostgreSQL major unless {@code images.postgres_major} names another
     */
    public record Images(
            Stack stack,
            Optional<String> registry,
            String baseImage,
            String postgresMajor,
            Optional<String> patroniVersion,
            Optional<String> pgbouncerVersion,
            Optional<String> haproxyVersion,
            Optional<String> etcdVersion,
            String toxiproxyImage) {

        public static final String DEFAULT_TOXIPROXY_IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";

        /** The default stack's images: {@code Stacks.defaultStack()}, unless {@code -Dpgcert.stack} names another. */
        public static Images defaults() {
            return forStack(Stacks.override().flatMap(Stacks::byName).orElse(Stacks.defaultStack()));
        }

        /** A stack's own images, with the distribution's package versions. */
        public static Images forStack(Stack stack) {
            return new Images(stack, Optional.empty(), stack.baseImage(), stack.postgresMajor(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_TOXIPROXY_IMAGE);
        }
    }
}
