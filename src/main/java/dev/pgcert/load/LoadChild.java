package dev.pgcert.load;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Main class of the load's JVM (started by {@link GatlingLoad}). Sets up the shared
 * {@link LoadRuntime}, then hands over to Gatling's own main, which runs {@link LoadSimulation},
 * writes the HTML report and exits the JVM.
 *
 * <p>Control: end of input on stdin means "stop" — the parent closes it to stop the load, and the
 * operating system closes it when the parent dies, so the load never outlives its parent. Every
 * progress interval a line {@code PGCERT_PROGRESS {json}} goes to stdout for the parent.
 */
public final class LoadChild {

    static final String PROGRESS_PREFIX = "PGCERT_PROGRESS ";

    private LoadChild() {}

    public static void main(String[] args) throws Exception {
        LoadRuntime runtime = LoadRuntime.get();
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "pgcert-load-close"));
        watchStdin(runtime);
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(runtime::requestStop));
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgcert-load-progress");
            t.setDaemon(true);
            return t;
        });
        long interval = runtime.config.progressInterval().toMillis();
        ticks.scheduleAtFixedRate(runtime::printProgress, interval, interval, TimeUnit.MILLISECONDS);
        // Flushed often so that a reader of the history (or a crash) loses little.
        ticks.scheduleAtFixedRate(runtime.history::flush, 200, 200, TimeUnit.MILLISECONDS);
        ticks.scheduleAtFixedRate(runtime.stats::flush, 100, 100, TimeUnit.MILLISECONDS);
        io.gatling.app.Gatling.main(args);
    }

    private static void watchStdin(LoadRuntime runtime) {
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // any input is ignored: only its end matters
                }
            } catch (IOException e) {
                // a broken pipe is an end too
            }
            runtime.requestStop();
        }, "pgcert-load-stdin");
        t.setDaemon(true);
        t.start();
    }
}
