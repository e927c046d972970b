package dev.pgcert.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts the load: Gatling in a JVM of its own (Gatling 3.11 has no in-process entry point and
 * its main exits the JVM), with this JVM's classpath. The load's operations go to the history file
 * with {@link System#nanoTime()} stamps, which on Linux come from the host-wide monotonic clock, so
 * they line up with everything this JVM records.
 *
 * <pre>{@code
 * try (RunningLoad load = GatlingLoad.start(spec, endpoints, run.resolve("history.jsonl"), run.resolve("gatling"))) {
 *     ... inject faults, watch load.progress() ...
 *     LoadResult result = load.awaitCompletion(spec.runFor().plusMinutes(1));
 * }
 * }</pre>
 */
public final class GatlingLoad {

    /**
     * How to launch the load's JVM.
     *
     * @param jvmArgs          extra JVM options (heap, GC)
     * @param classpath        the classpath; null: this JVM's
     * @param progressInterval how often the load reports its counts
     */
    public record Options(List<String> jvmArgs, String classpath, Duration progressInterval) {
        public static final Options DEFAULT = new Options(List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC"), null, Duration.ofSeconds(1));

        public Options {
            jvmArgs = List.copyOf(jvmArgs);
            Objects.requireNonNull(progressInterval, "progressInterval");
        }
    }

    /**
     * Logging in the load's JVM: warnings and errors (HikariCP's, PgJDBC's, Gatling's) into its
     * log; per-operation detail is in the history, not here.
     */
    private static final String LOGBACK = """
            <configuration>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="dev.pgcert" level="INFO"/>
              <root level="WARN"><appender-ref ref="out"/></root>
            </configuration>
            """;

    private GatlingLoad() {}

    /** Starts the load with {@link Options#DEFAULT}. */
    public static RunningLoad start(LoadSpec spec, LoadEndpoints endpoints, Path historyFile, Path gatlingResultsDir) throws IOException {
        return start(spec, endpoints, historyFile, gatlingResultsDir, Options.DEFAULT);
    }

    /**
     * Starts the load and returns at once. The results directory receives Gatling's report (one
     * sub-directory per run), the load JVM's config ({@code pgcert-load.yaml}, the load section in the scenario grammar, no credentials), its
     * logging setup and its output ({@code pgcert-load.log}).
     */
    public static RunningLoad start(LoadSpec spec, LoadEndpoints endpoints, Path historyFile, Path gatlingResultsDir,
                                    Options options) throws IOException {
        Path results = gatlingResultsDir.toAbsolutePath();
        Files.createDirectories(results);
        Path config = results.resolve("pgcert-load.yaml");
        Path log = results.resolve("pgcert-load.log");
        Path logback = results.resolve("pgcert-load-logback.xml");
        Files.writeString(logback, LOGBACK);
        new ChildConfig(spec, endpoints.rwJdbcUrl(), endpoints.roJdbcUrl(), endpoints.nodeUrls(), historyFile.toAbsolutePath(),
                options.progressInterval())
                .write(config);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmArgs());
        command.add("-D" + ChildConfig.PROPERTY + "=" + config);
        // Gatling's console summary is replaced by the progress lines; without it, each request is one
        // message less to Gatling's writer actors. The file writer (for the HTML report) stays.
        command.add("-Dgatling.data.writers.0=file");
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-cp");
        command.add(options.classpath() != null ? options.classpath() : System.getProperty("java.class.path"));
        command.add(LoadChild.class.getName());
        command.addAll(List.of("-s", LoadSimulation.class.getName(), "-rf", results.toString(), "-rd", "pgcert load"));

        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // Credentials go by environment only: a command line is visible to every user of the host.
        pb.environment().put(ChildConfig.USER_ENV, endpoints.user());
        pb.environment().put(ChildConfig.PASSWORD_ENV, endpoints.password());
        Process process = pb.start();
        Duration stopGrace = spec.pool().worstOperation().multipliedBy(2).plusSeconds(60);
        return new RunningLoad(process, historyFile.toAbsolutePath(), log, results, stopGrace);
    }
}
