package dev.pgcert.fault.toxiproxy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Puts the state and recent log of the watched containers into the message of any failure of a
 * test (or of its set-up and clean-up), so a report says whether the server under test crashed,
 * was killed or removed, or answered wrongly, without digging through the build log.
 */
final class ContainerDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final int LOG_LINES = 60;

    private final Map<String, Watched> watched = new LinkedHashMap<>();

    private record Watched(GenericContainer<?> container, LogTail log, Supplier<String> probe) {}

    /**
     * Keeps the container's log from now on (call before it starts); {@code probe} says whether
     * its service answers, since the container may still look "running" while it is being killed.
     */
    <T extends GenericContainer<?>> T watch(String name, T container, Supplier<String> probe) {
        LogTail tail = new LogTail(LOG_LINES);
        container.withLogConsumer(tail);
        watched.put(name, new Watched(container, tail, probe));
        return container;
    }

    LogTail log(String name) {
        return watched.get(name).log();
    }

    /** One line: running, exited (code, OOM-killed) or gone. */
    static String state(GenericContainer<?> container) {
        String id = container.getContainerId();
        if (id == null) {
            return "not started";
        }
        try {
            InspectContainerResponse.ContainerState state =
                    DockerClientFactory.instance().client().inspectContainerCmd(id).exec().getState();
            return String.format("%s (id %.12s, exit code %s, OOM-killed %s, finished %s%s)", state.getStatus(), id,
                    state.getExitCodeLong(), state.getOOMKilled(), state.getFinishedAt(),
                    state.getError() == null || state.getError().isEmpty() ? "" : ", error " + state.getError());
        } catch (NotFoundException e) {
            return String.format("gone: container %.12s no longer exists (removed while the tests ran)", id);
        } catch (RuntimeException e) {
            return "unknown (inspect failed: " + e + ")";
        }
    }

    static boolean isRunning(GenericContainer<?> container) {
        return state(container).startsWith("running");
    }

    String report() {
        StringBuilder text = new StringBuilder();
        watched.forEach((name, w) -> text.append("\n--- container ").append(name).append(": ").append(state(w.container()))
                .append("\n--- service: ").append(probe(w.probe()))
                .append("\n--- its last ").append(LOG_LINES).append(" log lines:\n").append(w.log().text()));
        return text.toString();
    }

    private static String probe(Supplier<String> probe) {
        try {
            return probe.get();
        } catch (RuntimeException e) {
            return "probe failed: " + e;
        }
    }

    private Throwable withReport(Throwable failure) {
        AssertionError annotated = new AssertionError(failure + report(), failure);
        annotated.setStackTrace(failure.getStackTrace());
        return annotated;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withReport(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withReport(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withReport(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withReport(throwable);
    }
}
