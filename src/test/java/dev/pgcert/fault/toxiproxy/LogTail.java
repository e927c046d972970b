package dev.pgcert.fault.toxiproxy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * The last lines a container wrote (stdout and stderr), kept in the test's memory: they are still
 * there when the container is not (removed with {@code docker rm -f}, say), which is exactly when
 * they are needed to explain a failure.
 */
final class LogTail implements Consumer<OutputFrame> {
    private final int maxLines;
    private final Deque<String> lines = new ArrayDeque<>();

    LogTail(int maxLines) {
        this.maxLines = maxLines;
    }

    @Override
    public synchronized void accept(OutputFrame frame) {
        if (frame.getType() == OutputFrame.OutputType.END) {
            add("--- end of log stream ---");
            return;
        }
        add(frame.getUtf8StringWithoutLineEnding());
    }

    /** Marks an event of the test's own (a restart, say) between the container's lines. */
    synchronized void mark(String event) {
        add("--- " + event + " ---");
    }

    synchronized String text() {
        return lines.isEmpty() ? "(no output)" : String.join("\n", lines);
    }

    private void add(String line) {
        if (lines.size() == maxLines) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }
}
