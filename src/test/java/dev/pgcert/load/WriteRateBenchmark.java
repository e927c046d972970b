package dev.pgcert.load;

import dev.pgcert.cluster.ClusterView;
import dev.pgcert.cluster.Credentials;
import dev.pgcert.cluster.PatroniCluster;
import dev.pgcert.history.Event;
import dev.pgcert.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a test: prints figures, asserts nothing about speed. On a cluster of the shipped
 * {@code three-node-async} topology it compares the write rate the load sustains through the
 * read-write endpoint with pgbench's rate for the same INSERT on the same endpoint, as the same
 * user, with the same number of clients (closed model) and the same duration; and how finely the
 * scenario default load (writes 200/s, reads 50/s) resolves a write outage: the interval between
 * consecutive acknowledged writes. Run it with
 * <pre>mvn verify -Pbenchmark -Dit.test=WriteRateBenchmark</pre>
 * System properties: {@code bench.clients} (8), {@code bench.seconds} (20 per run), {@code bench.warmup}
 * (5 s left out of both measurements), {@code bench.rounds} (2 pairs of runs on the endpoint),
 * {@code bench.routerRounds} (1 pair on the router's own port), {@code bench.gapSeconds} (20),
 * {@code bench.pgbenchThreads} (one per core), {@code bench.topology} (topologies/three-node-async.yaml),
 * {@code bench.parts} ("endpoint,router,gaps"; add "solo" for the same comparison against one plain
 * PostgreSQL, which adds about as much time again), {@code bench.jvmArgs} (extra options for the
 * load's JVM, e.g. a flight recording).
 */
@Tag("benchmark")
class WriteRateBenchmark {

    private static final double TARGET_RATIO = 0.7;

    private final int clients = Integer.getInteger("bench.clients", 8);
    private final int seconds = Integer.getInteger("bench.seconds", 20);
    private final int warmup = Integer.getInteger("bench.warmup", 5);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final int routerRounds = Integer.getInteger("bench.routerRounds", 1);
    private final int gapSeconds = Integer.getInteger("bench.gapSeconds", 20);
    private final int pgbenchThreads = Integer.getInteger("bench.pgbenchThreads", Runtime.getRuntime().availableProcessors());
    private final Path topologyFile = Path.of(System.getProperty("bench.topology", "topologies/three-node-async.yaml"));
    private final String parts = System.getProperty("bench.parts", "endpoint,router,gaps");
    private final Path dir = Path.of("target", "benchmark");
    private final List<String> report = new ArrayList<>();

    /** Rate over the measured window, latency percentiles in milliseconds, and the machine's load average then. */
    record Figures(String tool, long ops, double perSecond, double p50, double p99, String loadAverage) {
        @Override
        public String toString() {
            return String.format("%-8s %8d ops  %7.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  (load avg %s)",
                    tool, ops, perSecond, p50, p99, loadAverage);
        }
    }

    /** Where the benchmark writes, as whom, and how it starts again from an empty ledger. */
    record Target(String label, LoadEndpoints endpoints, SchemaReset reset) {}

    @FunctionalInterface
    interface SchemaReset {
        void run() throws Exception;
    }

    @Test
    void compareWithPgbench() throws Exception {
        if (!Pgbench.installed()) {
            System.out.println(Pgbench.BINARY + " is missing: install it with `apt-get install postgresql-client`; skipping.");
            Assumptions.abort(Pgbench.BINARY + " is missing (apt-get install postgresql-client)");
        }
        Files.createDirectories(dir);
        report.add("load average at start: " + loadAverage() + " on " + Runtime.getRuntime().availableProcessors() + " cores");
        PatroniCluster cluster = new PatroniCluster(TopologyLoader.load(topologyFile));
        try {
            cluster.start();
            Target endpoint = clusterTarget(cluster, "rw endpoint as given", cluster.endpoints().readWriteUrl());
            Target router = clusterTarget(cluster, "router's own rw port", cluster.endpoints().routerReadWriteUrl());
            if (parts.contains("endpoint")) {
                compare(endpoint, rounds);
            }
            if (parts.contains("router")) {
                compare(router, routerRounds);
            }
            if (parts.contains("gaps")) {
                writeGaps(endpoint);
            }
        } finally {
            cluster.stop();
        }
        if (parts.contains("solo")) {
            try (SoloPostgres pg = new SoloPostgres().start()) {
                compare(new Target("one plain PostgreSQL 15", pg.appEndpoints(), () -> reset(pg.superuser(), SoloPostgres.APP_ROLE)), rounds);
            }
        }
        System.out.println();
        System.out.printf("== write rate: Gatling load vs pgbench, %d clients (closed model), %d s per run, first %d s not counted ==%n",
                clients, seconds, warmup);
        report.forEach(System.out::println);
    }

    private Target clusterTarget(PatroniCluster cluster, String label, String rwUrl) {
        Credentials c = cluster.credentials();
        LoadEndpoints endpoints = new LoadEndpoints(rwUrl, cluster.endpoints().readOnlyUrl(), c.appUser(), c.appPassword());
        return new Target(label + " " + withoutQuery(rwUrl), endpoints, () -> {
            ClusterView view = cluster.clusterView();
            String leader = view.leader().orElseThrow(() -> new IllegalStateException("no leader: " + view.summary())).name();
            reset(DriverManager.getConnection(cluster.nodeJdbcUrl(leader), c.superuser(), c.superuserPassword()), c.appUser());
        });
    }

    /** A fresh ledger, and a checkpoint so that neither tool pays for the other's dirty pages. */
    private static void reset(Connection superuser, String appRole) throws Exception {
        try (Connection su = superuser) {
            LoadSchema.install(su, appRole, 0, 0);
            su.createStatement().execute("CHECKPOINT");
        }
    }

    /** Rounds in A-B-B-A order: the machine is shared, and its load drifts. */
    private void compare(Target target, int pairs) throws Exception {
        List<Double> ratios = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < pairs; round++) {
            boolean pgbenchFirst = round % 2 == 0;
            Figures a = pgbenchFirst ? pgbench(target) : gatling(target);
            Figures b = pgbenchFirst ? gatling(target) : pgbench(target);
            Figures pgb = pgbenchFirst ? a : b;
            Figures gat = pgbenchFirst ? b : a;
            double ratio = gat.perSecond() / pgb.perSecond();
            ratios.add(ratio);
            lines.add("  " + pgb);
            lines.add("  " + gat);
            lines.add(String.format("  ratio gatling/pgbench %.2f", ratio));
            System.out.println(target.label() + ":\n" + String.join("\n", lines.subList(lines.size() - 3, lines.size())));
        }
        report.add(target.label() + ":");
        report.addAll(lines);
        report.add(String.format("  median ratio %.2f over %d pair(s) (target >= %.2f)", median(ratios), pairs, TARGET_RATIO));
    }

    private Figures pgbench(Target target) throws Exception {
        target.reset().run();
        String load = loadAverage();
        LoadEndpoints e = target.endpoints();
        List<Pgbench.Transaction> tx = new Pgbench(dir, pgbenchThreads).run(e.rwJdbcUrl(), e.user(), e.password(), clients, seconds);
        long from = tx.stream().mapToLong(Pgbench.Transaction::startMicros).min().orElseThrow() + warmup * 1_000_000L;
        long end = tx.stream().mapToLong(Pgbench.Transaction::endMicros).max().orElseThrow();
        List<Double> latencies = new ArrayList<>();
        for (Pgbench.Transaction t : tx) {
            if (t.startMicros() >= from) {
                latencies.add(t.latencyMicros() / 1000.0);
            }
        }
        return figures("pgbench", latencies, (end - from) / 1e6, load);
    }

    private Figures gatling(Target target) throws Exception {
        target.reset().run();
        String load = loadAverage();
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofSeconds(seconds))
                .writes(Profile.users(clients))
                .reads((Profile) null)
                .poolSize(clients, 1)
                .build();
        Path history = dir.resolve("gatling-history.jsonl");
        List<Event> events = runLoad(spec, target.endpoints(), history, dir.resolve("gatling"));
        long from = events.get(0).nanos() + warmup * 1_000_000_000L;
        Map<String, Long> invoked = new HashMap<>();
        List<Double> latencies = new ArrayList<>();
        long end = from;
        for (Event e : events) {
            if (e.type() == Event.Type.INVOKE) {
                invoked.put(e.process(), e.nanos());
            } else if (e.type() == Event.Type.OK) {
                long began = invoked.remove(e.process());
                if (began >= from) {
                    latencies.add((e.nanos() - began) / 1e6);
                    end = Math.max(end, e.nanos());
                }
            }
        }
        return figures("gatling", latencies, (end - from) / 1e9, load);
    }

    /** Median, p99 and max interval between consecutive acknowledged writes at the scenario default load. */
    private void writeGaps(Target target) throws Exception {
        target.reset().run();
        String load = loadAverage();
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofSeconds(gapSeconds))
                .writes(Profile.rate(200))
                .reads(Profile.rate(50))
                .build();
        List<Event> events = runLoad(spec, target.endpoints(), dir.resolve("default-history.jsonl"), dir.resolve("gatling-default"));
        List<Long> okTimes = events.stream()
                .filter(e -> e.type() == Event.Type.OK && e.f().equals(Event.Fn.WRITE))
                .map(Event::nanos).sorted().toList();
        if (okTimes.size() < 2) {
            throw new IllegalStateException("the default load acknowledged " + okTimes.size() + " writes; see " + dir);
        }
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < okTimes.size(); i++) {
            gaps.add((okTimes.get(i) - okTimes.get(i - 1)) / 1e6);
        }
        Collections.sort(gaps);
        long reads = events.stream().filter(e -> e.type() == Event.Type.OK && e.f().equals(Event.Fn.READ)).count();
        report.add(String.format("write-gap resolution, scenario default load (writes %s, reads %s) on the %s, %d s: "
                        + "%d writes and %d reads acknowledged; interval between consecutive acknowledged writes "
                        + "median %.1f ms, p99 %.1f ms, max %.1f ms (load avg %s)",
                spec.writes().profile(), spec.reads().profile(), target.label(), gapSeconds, okTimes.size(), reads,
                percentile(gaps, 50), percentile(gaps, 99), gaps.get(gaps.size() - 1), load));
    }

    private List<Event> runLoad(LoadSpec spec, LoadEndpoints endpoints, Path history, Path results) throws Exception {
        Files.deleteIfExists(history);
        List<String> jvmArgs = new ArrayList<>(GatlingLoad.Options.DEFAULT.jvmArgs());
        String extra = System.getProperty("bench.jvmArgs", "");
        if (!extra.isBlank()) {
            jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        GatlingLoad.Options options = new GatlingLoad.Options(jvmArgs, null, GatlingLoad.Options.DEFAULT.progressInterval());
        try (RunningLoad load = GatlingLoad.start(spec, endpoints, history, results, options)) {
            LoadResult r = load.awaitCompletion(spec.runFor().plusSeconds(120));
            System.out.println("gatling run: exit " + r.exitCode() + ", " + r.progress() + ", report " + r.report());
        }
        List<Event> events = HistoryFile.read(history);
        if (events.isEmpty()) {
            throw new IllegalStateException("the load recorded nothing; see " + results.resolve("pgcert-load.log"));
        }
        return events;
    }

    private static Figures figures(String tool, List<Double> latencies, double seconds, String loadAverage) {
        Collections.sort(latencies);
        return new Figures(tool, latencies.size(), latencies.size() / seconds,
                percentile(latencies, 50), percentile(latencies, 99), loadAverage);
    }

    /** The middle value, or the mean of the middle two: with two pairs, neither one alone. */
    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** The 1-minute load average: the machine is shared, so each figure carries it. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
