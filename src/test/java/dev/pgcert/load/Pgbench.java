package dev.pgcert.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * pgbench from the host running the load's INSERT against one JDBC endpoint, with a per-transaction
 * log so that rate and latency are counted over the same window as the load's.
 */
final class Pgbench {

    static final Path BINARY = Path.of("/usr/bin/pgbench");

    /** One finished transaction: when it ended and how long it took, in microseconds. */
    record Transaction(long endMicros, long latencyMicros) {
        long startMicros() {
            return endMicros - latencyMicros;
        }
    }

    private final Path dir;
    private final int threads;

    Pgbench(Path dir, int threads) {
        this.dir = dir;
        this.threads = threads;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Runs pgbench for {@code seconds} with {@code clients} connections. The query protocol follows
     * the JDBC URL: {@code prepareThreshold=0} (a transaction-mode PgBouncer) means the extended
     * protocol with unnamed statements, as PgJDBC then does; otherwise prepared statements, as PgJDBC
     * uses after a few executions.
     */
    List<Transaction> run(String jdbcUrl, String user, String password, int clients, int seconds) throws Exception {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        String mode = jdbcUrl.contains("prepareThreshold=0") ? "extended" : "prepared";
        Path script = dir.resolve("insert.sql");
        // Random keys from a range so wide that a collision is out of the question for a few million rows.
        Files.writeString(script, "\\set k random(1, 9000000000000000000)\n" + WriteOperation.SQL.replace("?", ":k") + ";\n");
        Path logs = dir.resolve("pgbench-log");
        Files.createDirectories(logs);
        try (Stream<Path> old = Files.list(logs)) {
            old.forEach(p -> p.toFile().delete());
        }
        List<String> command = List.of(BINARY.toString(), "-n", "-M", mode, "-j", Integer.toString(Math.min(threads, clients)),
                "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()), "-U", user,
                "-c", Integer.toString(clients), "-T", Integer.toString(seconds),
                "-f", script.toString(), "-l", "--log-prefix=" + logs.resolve("tx"), database);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // By environment only: a command line is visible to every user of the host.
        pb.environment().put("PGPASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pgbench -M " + mode + " on " + uri.getHost() + ":" + uri.getPort() + " failed:\n" + out);
        }
        Files.writeString(dir.resolve("pgbench.out"), out);
        // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
        List<Transaction> tx = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(f)) {
                    String[] c = line.trim().split("\\s+");
                    tx.add(new Transaction(Long.parseLong(c[4]) * 1_000_000 + Long.parseLong(c[5]), Long.parseLong(c[2])));
                }
            }
        }
        if (tx.isEmpty()) {
            throw new IllegalStateException("pgbench logged no transaction:\n" + out);
        }
        return tx;
    }
}
