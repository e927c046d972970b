package dev.pgcert.scenario;

import dev.pgcert.check.CheckResults;
import dev.pgcert.check.Checkers;
import dev.pgcert.check.ExpectationResult;
import dev.pgcert.check.RunSummary;
import dev.pgcert.cluster.ClusterSampler;
import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.Endpoints;
import dev.pgcert.cluster.FailoverObservers;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.cluster.StandbyClusterNodes;
import dev.pgcert.check.StandbyClusterChecker;
import dev.pgcert.fault.FaultContext;
import dev.pgcert.fault.FaultRecorder;
import dev.pgcert.fault.Nemesis;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.HistoryWriter;
import dev.pgcert.load.FinalRead;
import dev.pgcert.load.GatlingLoad;
import dev.pgcert.load.LoadEndpoints;
import dev.pgcert.load.LoadSchema;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.load.Probe;
import dev.pgcert.load.RunningLoad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Runs one scenario: cluster, sampler and load first; then its phases (inject, hold, heal, settle)
 * with every fault and phase edge on the history; then a final read of the settled primary; then the
 * checkers over the whole history and the scenario's expectations over their metrics.
 */
public final class ScenarioRunner {
    private static final Logger LOG = org.slf4j.LoggerFactory.getLogger(ScenarioRunner.class);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(250);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private final ClusterPool clusters;
    private final RunListener listener;
    private final Path runsDirectory;

    public ScenarioRunner(ClusterPool clusters, RunListener listener, Path runsDirectory) {
        this.clusters = clusters;
        this.listener = listener;
        this.runsDirectory = runsDirectory;
    }

    public ScenarioResult run(Scenario scenario) throws Exception {
        LoadSpec loadSpec = scenario.load(); // built and bounded when the scenario was read: nothing is parsed here
        Path runDir = runsDirectory.resolve(scenario.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        Path harnessHistory = runDir.resolve("history-harness.jsonl");
        Path loadHistory = runDir.resolve("history-load.jsonl");

        PatroniCluster cluster = clusters.acquire(scenario.topology());
        String before = cluster.clusterView().rawJson();
        installSchema(cluster, loadSpec);
        String[] currentPhase = {"start"};
        try (HistoryWriter writer = HistoryWriter.open(harnessHistory);
             ClusterSampler sampler = new ClusterSampler(cluster, writer::append, SAMPLE_INTERVAL).start();
             Nemesis nemesis = new Nemesis(new FaultContext(cluster, FaultRecorder.toHistory(writer::append), random(scenario)));
             FailoverObservers observers = FailoverObservers.start(cluster, writer::append);
             Probe probe = Probe.start(loadSpec.probe(), loadEndpoints(cluster), writer::append)) {
            writer.record("harness", Event.Type.INFO, Event.Fn.FAILOVER_SETTINGS, FailoverSettings.of(scenario.topology(), loadSpec.pool(), loadSpec.probe()));
            for (Schedule schedule : scenario.schedules()) {
                LOG.info("{}", schedule.describe().strip()); // the seed that replays this run
                writer.record("harness", Event.Type.INFO, "schedule", Map.of("phase", schedule.phase(), "seed", schedule.seed(),
                        "seed_given", schedule.seedGiven(), "plan", schedule.describe()));
            }
            RunningLoad load = GatlingLoad.start(loadSpec, loadEndpoints(cluster), loadHistory, runDir.resolve("gatling"));
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            ScheduledExecutorService timedHeals = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(() -> listener.progress(currentPhase[0], load.progress(), sampler.leader()),
                    PROGRESS_INTERVAL.toMillis(), PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            try {
                awaitFirstWrite(load, cluster);
                for (Scenario.Phase phase : scenario.phases()) {
                    currentPhase[0] = phase.name();
                    listener.phase(phase.name(), () -> runPhase(phase, nemesis, cluster, writer, timedHeals));
                }
            } finally {
                timedHeals.shutdownNow();
                currentPhase[0] = "final";
                nemesis.healAll();
                settle(cluster, writer);
                probe.close(); // before the final read: every acknowledged probe write must be in it
                load.stop();
                ticker.shutdownNow();
            }
            recordFinalRead(cluster, writer);
        }
        String after = safeClusterJson(cluster);
        cluster.writeLogs(runDir.resolve("logs"));
        return judge(scenario, loadSpec, runDir, harnessHistory, loadHistory, before, after);
    }

    /**
     * The source of the faults' random choices ("any replica"): seeded from the scenario's schedule, so a
     * replay with the same seed also picks the same members.
     */
    static java.util.Random random(Scenario scenario) {
        return scenario.schedules().isEmpty() ? new java.util.Random() : new java.util.Random(scenario.schedules().get(0).seed());
    }

    private void runPhase(Scenario.Phase phase, Nemesis nemesis, PatroniCluster cluster,
                          HistoryWriter writer, ScheduledExecutorService timedHeals) throws InterruptedException {
        writer.record("harness", Event.Type.INFO, Event.Fn.PHASE, Map.of("id", phase.name(), "name", phase.name(), "phase", "start"));
        try {
            if (phase.healAll()) {
                nemesis.healAll();
            }
            phase.heal().forEach(nemesis::heal);
            for (dev.pgcert.fault.Fault fault : phase.inject()) {
                nemesis.start(fault);
                Duration lasts = phase.healAfter().get(fault.id());
                if (lasts != null) { // healed after its own duration while the phase goes on
                    timedHeals.schedule(() -> healQuietly(nemesis, fault), lasts.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            if (phase.untilHealthy()) {
                settle(cluster, writer);
            }
            if (!phase.duration().isZero()) {
                Thread.sleep(phase.duration().toMillis()); // the scenario's hold time: the phase *is* this wait
            }
        } finally {
            writer.record("harness", Event.Type.INFO, Event.Fn.PHASE, Map.of("id", phase.name(), "name", phase.name(), "phase", "end"));
        }
    }

    private static void healQuietly(Nemesis nemesis, dev.pgcert.fault.Fault fault) {
        try {
            nemesis.heal(fault);
        } catch (RuntimeException e) {
            LOG.warn("timed heal of {} failed (the final heal tries again): {}", fault.id(), e.getMessage());
        }
    }

    /**
     * Until the cluster is whole; a cluster that never heals is evidence, not a harness error. After a
     * disaster-recovery drill (the standby cluster promoted), the lost primary cluster stays lost: the
     * promoted standby cluster is what must be whole.
     */
    private static void settle(PatroniCluster cluster, HistoryWriter writer) {
        Optional<StandbyClusterNodes> promoted = cluster.standbyCluster().filter(StandbyClusterNodes::isPromoted);
        if (promoted.isPresent()) {
            try {
                promoted.get().awaitWritable(cluster.topology().startupTimeout());
            } catch (RuntimeException e) {
                writer.record("harness", Event.Type.INFO, "settle", Map.of("healthy", false, "cluster", "standby",
                        "error", String.valueOf(e.getMessage())));
                LOG.warn("promoted standby cluster did not settle: " + e.getMessage());
            }
            return;
        }
        try {
            cluster.awaitHealthy();
        } catch (RuntimeException e) {
            writer.record("harness", Event.Type.INFO, "settle", Map.of("healthy", false, "error", String.valueOf(e.getMessage())));
            LOG.warn("cluster did not settle: " + e.getMessage());
        }
    }

    private static void installSchema(PatroniCluster cluster, LoadSpec spec) throws Exception {
        String leader = cluster.clusterView().leader().orElseThrow().name();
        Credentials c = cluster.credentials();
        try (Connection conn = Endpoints.connect(cluster.nodeJdbcUrl(leader), c.superuser(), c.superuserPassword())) {
            LoadSchema.install(conn, c.appUser(), spec.bank().accounts(), spec.bank().total());
        }
        // Replicas must have the new tables before reads start, or the first reads fail for the wrong reason.
        cluster.awaitHealthy();
    }

    private static LoadEndpoints loadEndpoints(PatroniCluster cluster) {
        Endpoints e = cluster.endpoints();
        Credentials c = cluster.credentials();
        Map<String, String> nodes = new java.util.TreeMap<>();
        cluster.nodes().keySet().forEach(n -> nodes.put(n, cluster.nodeJdbcUrl(n)));
        return new LoadEndpoints(e.readWriteUrl(), e.readOnlyUrl(), c.appUser(), c.appPassword(), nodes);
    }

    private static void awaitFirstWrite(RunningLoad load, PatroniCluster cluster) {
        dev.pgcert.cluster.Waits.until("the load's first acknowledged operation", cluster.topology().startupTimeout(),
                Duration.ofMillis(200), () -> {
                    if (!load.isRunning()) {
                        throw new IllegalStateException("the load JVM exited early; see " + load.log());
                    }
                    var p = load.progress();
                    return new dev.pgcert.cluster.Waits.Probe(p.ok() > 0, p.toString());
                });
    }

    private static void recordFinalRead(PatroniCluster cluster, HistoryWriter writer) {
        try {
            // After a disaster-recovery drill the ledger is read on the promoted standby cluster.
            Optional<StandbyClusterNodes> promoted = cluster.standbyCluster().filter(StandbyClusterNodes::isPromoted);
            String url = promoted.isPresent() ? promoted.get().nodeJdbcUrl(promoted.get().leaderName())
                    : cluster.nodeJdbcUrl(cluster.clusterView().leader().map(ClusterView.Member::name)
                    .orElseThrow(() -> new IllegalStateException("no leader")));
            Credentials c = cluster.credentials();
            try (Connection conn = Endpoints.connect(url, c.superuser(), c.superuserPassword())) {
                writer.append(FinalRead.read(conn));
            }
        } catch (Exception e) {
            // No final read: the data-loss checker says "unknown", never "no loss".
            writer.record("harness", Event.Type.INFO, "final-read-failed", Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /**
     * The checkers over the merged history and the expectations over their metrics; writes the merged
     * history and metrics.json into the run folder and returns the typed run record. Renders nothing:
     * plots and attachments are the report side's.
     */
    private static ScenarioResult judge(Scenario scenario, LoadSpec load, Path runDir, Path harnessHistory, Path loadHistory,
                                        String before, String after) throws Exception {
        History history = History.read(harnessHistory, loadHistory);
        CheckResults checks = Checkers.runAll(history, checkersFor(load, scenario.topology().standbyCluster().isPresent()));
        List<ExpectationResult> expectations = new ArrayList<>();
        scenario.expectations().forEach(e -> expectations.add(e.evaluate(checks)));
        RunSummary summary = RunSummary.of(scenario.name(), scenario.topology().name(), checks, expectations);
        Path metrics = summary.write(runDir.resolve(RunSummary.FILE_NAME));
        Path merged = runDir.resolve("history.jsonl");
        history.write(merged);
        ScenarioResult.Evidence evidence = new ScenarioResult.Evidence(runDir, merged, metrics, runDir.resolve("logs"),
                findGatlingReport(runDir.resolve("gatling")));
        return new ScenarioResult(scenario, summary, evidence, before, after);
    }

    /** The checkers that have something to judge: no bank checker without transfers, no read checks without reads. */
    static List<dev.pgcert.check.Checker> checkersFor(LoadSpec load) {
        return checkersFor(load, false);
    }

    /** As {@link #checkersFor(LoadSpec)}; the standby cluster's checker only when the topology has one. */
    static List<dev.pgcert.check.Checker> checkersFor(LoadSpec load, boolean standbyCluster) {
        return Checkers.applicableTo(load).stream()
                .filter(c -> standbyCluster || !c.name().equals(StandbyClusterChecker.NAME)).toList();
    }

    private static Optional<Path> findGatlingReport(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var files = Files.walk(dir, 2)) {
            return files.filter(p -> p.getFileName().toString().equals("index.html")).findFirst().map(Path::getParent);
        }
    }

    private static String safeClusterJson(PatroniCluster cluster) {
        try {
            return cluster.clusterView().rawJson();
        } catch (RuntimeException e) {
            return "{\"error\": \"no Patroni REST API answered: " + e.getMessage().replace('"', '\'') + "\"}";
        }
    }
}
