package dev.pgcert.load;

import dev.pgcert.history.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a test: prints how fast the load writes compared with pgbench, against the same PostgreSQL,
 * with the same INSERT, the same number of clients (closed model) and the same duration; and how
 * finely the default load resolves a write outage (the median interval between acknowledged
 * writes). Excluded from every default run (its name matches no test pattern); run it with
 * <pre>mvn verify -Dit.test=WriteRateBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * System properties: {@code bench.clients} (8), {@code bench.seconds} (30), {@code bench.warmup} (5 s
 * left out of both measurements), {@code bench.gapSeconds} (20), {@code bench.rounds} (2
 * pairs of runs), {@code bench.pgbenchThreads} (one per core), {@code bench.parts} ("rate,gaps": which measurements to make), {@code bench.jvmArgs} (extra options for
 * the load's JVM, e.g. a flight recording).
 */
@Tag("benchmark")
class WriteRateBenchmark {

    private static final String PGBENCH = "/usr/bin/pgbench";

    private final int clients = Integer.getInteger("bench.clients", 8);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    private final int warmup = Integer.getInteger("bench.warmup", 5);
    private final int gapSeconds = Integer.getInteger("bench.gapSeconds", 20);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final int pgbenchThreads = Integer.getInteger("bench.pgbenchThreads", Runtime.getRuntime().availableProcessors());
    private final String parts = System.getProperty("bench.parts", "rate,gaps");

    /** Rate over the measured window, and latency percentiles in milliseconds. */
    record Figures(String tool, long ops, double perSecond, double p50, double p99) {
        @Override
        public String toString() {
            return String.format("%-8s %8d ops  %8.0f ops/s  p50 %6.2f ms  p99 %6.2f ms", tool, ops, perSecond, p50, p99);
        }
    }

    @Test
    void compareWithPgbench() throws Exception {
        Path dir = Path.of("target", "benchmark");
        Files.createDirectories(dir);
        try (SoloPostgres pg = new SoloPostgres().start()) {
            List<Figures> pgbenchRuns = new ArrayList<>();
            List<Figures> gatlingRuns = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            if (parts.contains("rate")) {
                // Rounds in A-B-B-A order: the machine is shared, and its load drifts.
                for (int round = 0; round < rounds; round++) {
                    boolean pgbenchFirst = round % 2 == 0;
                    Figures a = pgbenchFirst ? measurePgbench(pg, dir) : measureGatling(pg, dir);
                    Figures b = pgbenchFirst ? measureGatling(pg, dir) : measurePgbench(pg, dir);
                    Figures pgb = pgbenchFirst ? a : b;
                    Figures gat = pgbenchFirst ? b : a;
                    pgbenchRuns.add(pgb);
                    gatlingRuns.add(gat);
                    ratios.add(gat.perSecond() / pgb.perSecond());
                }
            }
            double[] gaps = null;
            if (parts.contains("gaps")) {
                reinstall(pg);
                gaps = writeGaps(pg, dir);
            }
            System.out.println();
            System.out.printf("Write rate, %d clients (closed model), %d s per run (first %d s not counted), %d rounds, "
                    + "one PostgreSQL 15 container:%n", clients, seconds, warmup, rounds);
            for (int i = 0; i < ratios.size(); i++) {
                System.out.println("  " + pgbenchRuns.get(i));
                System.out.println("  " + gatlingRuns.get(i));
                System.out.printf("  ratio %.2f%n", ratios.get(i));
            }
            if (!ratios.isEmpty()) {
                List<Double> sorted = new ArrayList<>(ratios);
                Collections.sort(sorted);
                System.out.printf("  median ratio gatling/pgbench: %.2f (target >= 0.70)%n", percentile(sorted, 50));
            }
            if (gaps != null) {
                System.out.printf("Write-gap resolution at the default load (writes %s), %d s: median %.1f ms, p99 %.1f ms, "
                                + "max %.1f ms between consecutive acknowledged writes (target median <= 50 ms)%n",
                        LoadSpec.defaults().writes().profile(), gapSeconds, gaps[0], gaps[1], gaps[2]);
            }
        }
    }

    private Figures measurePgbench(SoloPostgres pg, Path dir) throws Exception {
        reinstall(pg);
        return pgbench(pg, dir);
    }

    private Figures measureGatling(SoloPostgres pg, Path dir) throws Exception {
        reinstall(pg);
        return gatling(pg, dir);
    }

    private static void reinstall(SoloPostgres pg) throws Exception {
        try (Connection su = pg.superuser()) {
            LoadSchema.install(su, SoloPostgres.APP_ROLE, 0, 0);
            su.createStatement().execute("CHECKPOINT");
        }
    }

    private Figures pgbench(SoloPostgres pg, Path dir) throws Exception {
        Path script = dir.resolve("insert.sql");
        // Random keys from a range so wide that a collision is out of the question for a few million rows.
        Files.writeString(script, "\\set k random(1, 9000000000000000000)\n"
                + WriteOperation.SQL.replace("?", ":k") + ";\n");
        Path logs = dir.resolve("pgbench-log");
        Files.createDirectories(logs);
        try (Stream<Path> old = Files.list(logs)) {
            old.forEach(p -> p.toFile().delete());
        }
        // Prepared statements like the load's, and a thread per core so that pgbench is not held back.
        List<String> command = new ArrayList<>(List.of(PGBENCH, "-n", "-M", "prepared", "-j", Integer.toString(pgbenchThreads),
                "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", SoloPostgres.APP_ROLE,
                "-c", Integer.toString(clients), "-T", Integer.toString(seconds),
                "-f", script.toString(), "-l", "--log-prefix=" + logs.resolve("tx"), "postgres"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pg.appPassword());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        Files.writeString(dir.resolve("pgbench.out"), out);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        System.out.println("pgbench reports tps " + (tps.find() ? tps.group(1) : "?"));
        // Per-transaction log: client_id transaction_no latency_us script_no epoch_s epoch_us
        List<long[]> tx = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(f)) {
                    String[] c = line.trim().split("\\s+");
                    tx.add(new long[] {Long.parseLong(c[4]) * 1_000_000 + Long.parseLong(c[5]), Long.parseLong(c[2])});
                }
            }
        }
        long start = tx.stream().mapToLong(t -> t[0] - t[1]).min().orElseThrow();
        long from = start + warmup * 1_000_000L;
        long end = tx.stream().mapToLong(t -> t[0]).max().orElseThrow();
        List<Double> latencies = new ArrayList<>();
        for (long[] t : tx) {
            if (t[0] - t[1] >= from) {
                latencies.add(t[1] / 1000.0);
            }
        }
        return figures("pgbench", latencies, (end - from) / 1e6);
    }

    private Figures gatling(SoloPostgres pg, Path dir) throws Exception {
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofSeconds(seconds))
                .writes(Profile.users(clients))
                .reads((Profile) null)
                .poolSize(clients, 1)
                .build();
        Path history = dir.resolve("gatling-history.jsonl");
        Files.deleteIfExists(history);
        List<String> jvmArgs = new ArrayList<>(GatlingLoad.Options.DEFAULT.jvmArgs());
        String extra = System.getProperty("bench.jvmArgs", "");
        if (!extra.isBlank()) {
            jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
        }
        GatlingLoad.Options options = new GatlingLoad.Options(jvmArgs, null, GatlingLoad.Options.DEFAULT.progressInterval());
        try (RunningLoad load = GatlingLoad.start(spec, pg.appEndpoints(), history, dir.resolve("gatling"), options)) {
            LoadResult r = load.awaitCompletion(spec.duration().plusSeconds(120));
            System.out.println("gatling run: exit " + r.exitCode() + ", " + r.progress() + ", report " + r.report());
            Files.readAllLines(r.log()).stream().filter(l -> l.contains("CPU in this JVM")).forEach(System.out::println);
        }
        List<Event> events = HistoryFile.read(history);
        long start = events.get(0).nanos();
        long from = start + warmup * 1_000_000_000L;
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
        return figures("gatling", latencies, (end - from) / 1e9);
    }

    /** Median, p99 and max interval between consecutive acknowledged writes at the default load. */
    private double[] writeGaps(SoloPostgres pg, Path dir) throws Exception {
        LoadSpec spec = LoadSpec.builder().duration(Duration.ofSeconds(gapSeconds)).build();
        Path history = dir.resolve("default-history.jsonl");
        Files.deleteIfExists(history);
        try (RunningLoad load = GatlingLoad.start(spec, pg.appEndpoints(), history, dir.resolve("gatling-default"))) {
            load.awaitCompletion(spec.duration().plusSeconds(120));
        }
        List<Long> okTimes = HistoryFile.read(history).stream()
                .filter(e -> e.type() == Event.Type.OK && e.f().equals(Event.Fn.WRITE))
                .map(Event::nanos).sorted().toList();
        if (okTimes.size() < 2) {
            throw new IllegalStateException("the default load acknowledged " + okTimes.size() + " writes; see " + history);
        }
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < okTimes.size(); i++) {
            gaps.add((okTimes.get(i) - okTimes.get(i - 1)) / 1e6);
        }
        Collections.sort(gaps);
        return new double[] {percentile(gaps, 50), percentile(gaps, 99), gaps.get(gaps.size() - 1)};
    }

    private static Figures figures(String tool, List<Double> latencies, double seconds) {
        Collections.sort(latencies);
        return new Figures(tool, latencies.size(), latencies.size() / seconds, percentile(latencies, 50), percentile(latencies, 99));
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }
}
