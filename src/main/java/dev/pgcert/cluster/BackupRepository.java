package dev.pgcert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcert.json.Json;
import dev.pgcert.topology.Backup;
import dev.pgcert.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's pgBackRest repositories and what is done with them: the stanza, backups (run on the primary,
 * where the data directory is), restore points, the destruction of every node's data, a restore into a
 * new cluster that Patroni bootstraps with a custom method, and an archive outage.
 *
 * <p>The repositories are Docker volumes of their own ({@code repo1}, {@code repo2}) mounted in every node,
 * as a shared file system (NFS, a mounted bucket) would be: whatever happens to the nodes' data volumes,
 * the repository stays. Everything runs through {@code docker exec} in the run's own containers.
 */
public final class BackupRepository {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRepository.class);
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");
    private static final DateTimeFormatter PGBACKREST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Duration POLL = Duration.ofMillis(250);

    /** Where a restore stops: the end of the archive, a restore point's name, or a time. */
    public record Target(String type, Optional<String> value) {
        public static Target latest() {
            return new Target("default", Optional.empty());
        }

        public static Target restorePoint(String name) {
            return new Target("name", Optional.of(name));
        }

        /** A time as PostgreSQL reads {@code recovery_target_time}, e.g. {@code 2026-11-30 00:10:00.123+00}. */
        public static Target time(String timestamp) {
            return new Target("time", Optional.of(timestamp));
        }
    }

    /**
     * A restore point the harness made: its name, LSN, the database's clock_timestamp() just after it (a
     * {@code recovery_target_time}), and when the call returned (System.nanoTime).
     */
    public record RestorePoint(String name, String lsn, String time, long nanos) {}

    private final Topology topology;
    private final Backup settings;
    private final RunContainers containers;
    private final Credentials credentials;
    private final Map<String, String> volumes = new LinkedHashMap<>();
    private final BiFunction<Topology.Node, Map<String, Object>, String> patroniYaml;
    private volatile RestorePoint lastRestorePoint;

    BackupRepository(Topology topology, RunContainers containers, Credentials credentials, RunVolumes runVolumes,
                     BiFunction<Topology.Node, Map<String, Object>, String> patroniYaml) {
        this.topology = topology;
        this.settings = topology.backup().orElseThrow();
        this.containers = containers;
        this.credentials = credentials;
        this.patroniYaml = patroniYaml;
        for (int repo = 1; repo <= settings.repositories(); repo++) {
            volumes.put(runVolumes.create("repo" + repo, Optional.empty()), PgBackRestConfig.repoMount(repo));
        }
    }

    Map<String, String> volumes() {
        return Map.copyOf(volumes);
    }

    String config() {
        return PgBackRestConfig.render(settings, credentials.superuser());
    }

    public Backup settings() {
        return settings;
    }

    /** {@code stanza-create} and {@code check} on the primary: the archive works end to end (check switches WAL). */
    void createStanza() {
        String primary = primary().orElseThrow(() -> new IllegalStateException("no primary to create the stanza on"));
        pgbackrest(primary, "stanza-create");
        pgbackrest(primary, "check");
        LOG.info("pgBackRest stanza {} created on {} ({} repositories)", settings.stanza(), primary, settings.repositories());
    }

    /**
     * A backup of {@code type} (full, diff, incr) into repository {@code repo}, taken on the primary. Returns what
     * pgBackRest's {@code info} says of it: label, seconds, database size, backup size, repository size.
     */
    public Map<String, Object> backup(String type, int repo) {
        if (repo < 1 || repo > settings.repositories()) {
            throw new IllegalArgumentException("repository " + repo + ": the topology has " + settings.repositories());
        }
        String primary = primary().orElseThrow(() -> new IllegalStateException("no primary to back up"));
        long begin = System.nanoTime();
        pgbackrest(primary, "--type=" + type + " --repo=" + repo + " backup");
        long took = System.nanoTime() - begin;
        JsonNode info = readJson(pgbackrest(primary, "--repo=" + repo + " --output=json info"));
        JsonNode backups = info.path(0).path("backup");
        JsonNode last = backups.path(backups.size() - 1);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("node", primary);
        d.put("repo", repo);
        d.put("type", last.path("type").asText(type));
        d.put("label", last.path("label").asText());
        d.put("seconds", last.path("timestamp").path("stop").asLong() - last.path("timestamp").path("start").asLong());
        d.put("command_ms", took / 1_000_000);
        d.put("database_bytes", last.path("info").path("size").asLong());
        d.put("backup_bytes", last.path("info").path("delta").asLong());
        d.put("repo_bytes", last.path("info").path("repository").path("delta").asLong());
        d.put("backups_kept", backups.size());
        return d;
    }

    /** {@code pg_create_restore_point(name)} on the primary; the last one made is the default PITR target. */
    public RestorePoint createRestorePoint(String name) {
        String primary = primary().orElseThrow(() -> new IllegalStateException("no primary for a restore point"));
        String[] answer = psql(primary, "postgres", "SELECT pg_create_restore_point('" + name.replace("'", "''")
                + "') || '|' || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
                .strip().split("\\|");
        RestorePoint p = new RestorePoint(name, answer[0], answer[1], System.nanoTime());
        lastRestorePoint = p;
        return p;
    }

    public Optional<RestorePoint> lastRestorePoint() {
        return Optional.ofNullable(lastRestorePoint);
    }

    /** Runs one SQL statement in the application database on the primary, as the superuser; returns the node. */
    public String onPrimary(String sql) {
        String primary = primary().orElseThrow(() -> new IllegalStateException("no primary to run " + sql + " on"));
        psql(primary, Credentials.DATABASE, sql);
        return primary;
    }

    /**
     * Destroys every node's data: Patroni and PostgreSQL are killed (SIGKILL), the data and WAL volumes are
     * emptied, and the cluster's keys are removed from etcd, as if every machine had been replaced by an empty one
     * with the same name and address. Returns what it did, with timings.
     */
    public Map<String, Object> destroyAll() {
        long begin = System.nanoTime();
        for (String node : containers.nodes().keySet()) {
            exec(containers.node(node), "root", "kill -9 $(cat /tmp/patroni.pid 2>/dev/null) 2>/dev/null; "
                    + "pkill -9 -x patroni; pkill -9 -x postgres; "
                    + "for i in $(seq 50); do pgrep -x postgres >/dev/null || break; sleep 0.1; done; "
                    + "rm -rf " + PatroniConfig.DATA_MOUNT + "/* " + PatroniConfig.WAL_MOUNT + "/* /tmp/.s.PGSQL.*; true");
        }
        long wiped = System.nanoTime();
        clearDcs();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("nodes", List.copyOf(containers.nodes().keySet()));
        d.put("wipe_ms", (wiped - begin) / 1_000_000);
        d.put("dcs_ms", (System.nanoTime() - wiped) / 1_000_000);
        return d;
    }

    private void clearDcs() {
        GenericContainer<?> etcd = containers.etcdMembers().values().iterator().next();
        exec(etcd, "root", "ETCDCTL_API=3 etcdctl del --prefix /service/" + topology.name() + "/");
    }

    /**
     * The cluster from the repository: if a primary still runs (a point-in-time restore after a bad statement), its
     * current WAL is switched and archived first; then every node's data is destroyed, the bootstrap node's Patroni
     * starts with the custom bootstrap method {@code pgbackrest} (pgBackRest restores, PostgreSQL replays the archive
     * to the target and promotes), and once it leads, the other nodes start and clone from it. Returns the stages,
     * each in ms from the start of this call: restore command begin and end (pgBackRest's log), PostgreSQL
     * accepting connections, out of recovery, and Patroni's {@code /primary} answering 200.
     */
    public Map<String, Object> restore(Target target, Duration budget) {
        long begin = System.nanoTime();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("target_type", target.type());
        target.value().ifPresent(v -> d.put("target", v));
        d.put("archive_flushed", flushArchive(budget));
        d.putAll(prefix("destroy_", destroyAll()));
        Map<String, Object> method = bootstrapMethod(settings, target);
        Topology.Node first = topology.bootstrapNode().orElseThrow();
        for (Topology.Node node : topology.nodes()) {
            containers.node(node.name()).copyFileToContainer(
                    Transferable.of(patroniYaml.apply(node, method), 0644), "/etc/patroni/patroni.yml");
        }
        PatroniNodeContainer leader = containers.node(first.name());
        d.put("destroyed_nanos", System.nanoTime());
        long patroniStart = System.nanoTime();
        exec(leader, "postgres", "rm -f " + PgBackRestConfig.WORK_DIR + "/" + settings.stanza() + "-restore.log; start-patroni");
        d.put("bootstrap_node", first.name());
        long[] accepting = {0};
        long[] promoted = {0};
        Waits.until("the restored " + first.name() + " to lead (Patroni /primary 200)", budget, POLL, () -> {
            long now = System.nanoTime();
            String state = execQuiet(leader, "postgres", "psql -h /tmp -U " + credentials.superuser()
                    + " -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null; "
                    + "curl -s -o /dev/null -w ' %{http_code}' http://localhost:" + PatroniConfig.REST_PORT + "/primary");
            if (state.startsWith("t") || state.startsWith("f")) {
                if (accepting[0] == 0) accepting[0] = now;
            }
            if (state.startsWith("f") && promoted[0] == 0) {
                promoted[0] = now;
            }
            return new Waits.Probe(state.startsWith("f") && state.strip().endsWith("200"), state.strip());
        });
        long leading = System.nanoTime();
        String restoreLog = execQuiet(leader, "postgres", "cat " + PgBackRestConfig.WORK_DIR + "/" + settings.stanza()
                + "-restore.log 2>/dev/null");
        long beginEpochMs = epochMs(begin);
        logTime(restoreLog, "restore command begin").ifPresent(t -> d.put("restore_begin_ms", t - beginEpochMs));
        logTime(restoreLog, "restore command end").ifPresent(t -> d.put("restore_end_ms", t - beginEpochMs));
        d.put("patroni_start_ms", ms(patroniStart - begin));
        if (accepting[0] != 0) d.put("accepting_ms", ms(accepting[0] - begin));
        if (promoted[0] != 0) d.put("promoted_ms", ms(promoted[0] - begin));
        d.put("leader_ms", ms(leading - begin));
        for (Topology.Node node : topology.nodes()) {
            if (!node.name().equals(first.name())) {
                exec(containers.node(node.name()), "postgres", "start-patroni");
            }
        }
        LOG.info("restored {} from the repository ({}): {}", topology.name(), target, d);
        return d;
    }

    /** The custom bootstrap method Patroni runs instead of initdb (its {@code bootstrap.method}). */
    static Map<String, Object> bootstrapMethod(Backup settings, Target target) {
        StringBuilder command = new StringBuilder("pgcert-restore --stanza=" + settings.stanza() + " --type=" + target.type());
        // Patroni splits the command as a shell would (shlex) and runs it without a shell.
        target.value().ifPresent(v -> command.append(" '--target=").append(v).append("'"));
        if (!target.type().equals("default")) {
            command.append(" --target-action=promote");
        }
        Map<String, Object> recovery = new LinkedHashMap<>();
        recovery.put("restore_command", settings.restoreCommand());
        recovery.put("recovery_target_timeline", "latest");
        target.value().ifPresent(v -> {
            recovery.put(target.type().equals("name") ? "recovery_target_name" : "recovery_target_time", v);
            recovery.put("recovery_target_action", "promote");
        });
        Map<String, Object> pgbackrest = new LinkedHashMap<>();
        pgbackrest.put("command", command.toString());
        pgbackrest.put("no_params", true);
        pgbackrest.put("keep_existing_recovery_conf", false);
        pgbackrest.put("recovery_conf", recovery);
        return Map.of("method", "pgbackrest", "pgbackrest", pgbackrest);
    }

    /**
     * On a live primary, {@code pg_switch_wal()} and a wait until that segment is archived, so a restore sees every
     * WAL record written so far (what an operator does before a point-in-time restore). False when no primary runs.
     */
    private boolean flushArchive(Duration budget) {
        Optional<String> primary = primary();
        if (primary.isEmpty()) {
            return false;
        }
        String segment = psql(primary.get(), "postgres", "SELECT pg_walfile_name(pg_switch_wal())").strip();
        Waits.until("WAL segment " + segment + " to be archived", budget, POLL, () -> {
            String last = psql(primary.get(), "postgres", "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").strip();
            return new Waits.Probe(last.length() >= 24 && last.substring(0, 24).compareTo(segment) >= 0, "last archived " + last);
        });
        return true;
    }

    /** Makes repository {@code repo}'s archive unwritable (the archive is unreachable for archive-push); returns the mode it had. */
    public String blockArchive(int repo) {
        String dir = PgBackRestConfig.repoMount(repo) + "/archive/" + settings.stanza();
        GenericContainer<?> any = containers.nodes().values().iterator().next();
        String mode = exec(any, "root", "stat -c %a " + dir).strip();
        exec(any, "root", "chmod 000 " + dir);
        return mode;
    }

    public void unblockArchive(int repo, String mode) {
        String dir = PgBackRestConfig.repoMount(repo) + "/archive/" + settings.stanza();
        exec(containers.nodes().values().iterator().next(), "root", "chmod " + mode + " " + dir);
    }

    /** The node whose PostgreSQL is out of recovery, asked of each node directly (Patroni may be gone). */
    public Optional<String> primary() {
        for (String node : containers.nodes().keySet()) {
            String answer = execQuiet(containers.node(node), "postgres", "psql -h /tmp -U " + credentials.superuser()
                    + " -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null");
            if (answer.strip().equals("f")) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    private String pgbackrest(String node, String command) {
        return exec(containers.node(node), "postgres", "pgbackrest --stanza=" + settings.stanza() + " " + command);
    }

    private String psql(String node, String database, String sql) {
        return exec(containers.node(node), "postgres", "psql -v ON_ERROR_STOP=1 -h /tmp -U " + credentials.superuser()
                + " -d " + database + " -tAc \"" + sql.replace("\"", "\\\"") + "\"");
    }

    private static String exec(GenericContainer<?> c, String user, String script) {
        try {
            Container.ExecResult r = c.execInContainerWithUser(user, "sh", "-c", script);
            if (r.getExitCode() != 0) {
                throw new IllegalStateException("in " + c.getContainerName() + ": `" + script + "` exited " + r.getExitCode()
                        + ": " + (r.getStderr().isBlank() ? r.getStdout() : r.getStderr()).strip());
            }
            return r.getStdout();
        } catch (IOException e) {
            throw new IllegalStateException("exec in " + c.getContainerName() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in " + c.getContainerName(), e);
        }
    }

    private static String execQuiet(GenericContainer<?> c, String user, String script) {
        try {
            return c.execInContainerWithUser(user, "sh", "-c", script).getStdout();
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("pgBackRest's info is not JSON: " + e.getMessage());
        }
    }

    /** The time of the first log line that contains {@code marker}, in epoch ms (the containers share the host's clock). */
    static Optional<Long> logTime(String log, String marker) {
        return log.lines().filter(l -> l.contains(marker)).findFirst().flatMap(l -> {
            Matcher m = LOG_TIME.matcher(l);
            return m.find() ? Optional.of(LocalDateTime.parse(m.group(1), PGBACKREST_TIME)
                    .atZone(ZoneOffset.UTC).toInstant().toEpochMilli()) : Optional.empty();
        });
    }

    /** The epoch ms of the nanoTime {@code nanos}, read now (the two clocks advance together). */
    private static long epochMs(long nanos) {
        return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static Map<String, Object> prefix(String p, Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(p + k, v));
        return out;
    }
}
