package dev.pgcert.load;

import dev.pgcert.json.Json;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A load running in its own JVM: its progress, its end, and a way to stop it early. */
public final class RunningLoad implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final Path history;
    private final Path log;
    private final Path resultsDir;
    private final Duration stopGrace;
    private final Thread pump;
    private volatile LoadProgress progress = LoadProgress.NONE;
    private volatile boolean stopped;

    RunningLoad(Process process, Path history, Path log, Path resultsDir, Duration stopGrace) throws IOException {
        this.process = process;
        this.history = history;
        this.log = log;
        this.resultsDir = resultsDir;
        this.stopGrace = stopGrace;
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        this.pump = new Thread(() -> pump(out), "pgcert-load-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Copies the load JVM's output to the log file and picks up its progress lines. */
    private void pump(BufferedWriter out) {
        try (out; BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(LoadChild.PROGRESS_PREFIX)) {
                    Map<String, Long> counts = Json.MAPPER.readValue(line.substring(LoadChild.PROGRESS_PREFIX.length()), new TypeReference<>() {});
                    Long nanos = counts.remove("nanos");
                    progress = LoadProgress.next(progress, nanos == null ? System.nanoTime() : nanos, counts);
                }
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            // the load JVM is gone; its exit code tells the rest
        }
    }

    /** The counts from the latest progress line (one per second by default). */
    public LoadProgress progress() {
        return progress;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public Path history() {
        return history;
    }

    public Path log() {
        return log;
    }

    /**
     * Waits for the load to finish on its own.
     *
     * @throws IllegalStateException if it is still running after {@code timeout}
     */
    public LoadResult awaitCompletion(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("load still running after " + timeout.toSeconds() + " s; last progress: " + progress
                    + "; log: " + log);
        }
        return result();
    }

    /**
     * Stops the load: no new operations, the running ones complete and are recorded, Gatling writes
     * its report. Only if that takes longer than the worst operation time plus a minute is the
     * JVM terminated, then killed.
     */
    public LoadResult stop() throws InterruptedException {
        if (process.isAlive()) {
            stopped = true;
            try {
                process.getOutputStream().close(); // end of input: the load's stop signal
            } catch (IOException e) {
                // already closed: the load is on its way out
            }
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy(); // SIGTERM: the JVM's shutdown hook still closes the history
                if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
        }
        return result();
    }

    private LoadResult result() throws InterruptedException {
        pump.join(KILL_WAIT.toMillis()); // the last progress line and log output
        return new LoadResult(process.exitValue(), stopped, progress, history, log, latestReport());
    }

    private Path latestReport() {
        try (Stream<Path> dirs = Files.list(resultsDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("index.html")))
                    .max(Comparator.comparing(d -> d.toFile().lastModified()))
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the load if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
