package dev.pgcert.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a container again when Docker could not bind one of its host ports because another
 * program took it after {@link HostPorts} chose it. The failed container is removed first; the
 * new attempt creates it again and so chooses fresh ports. Other start failures are not retried.
 */
public final class PortConflicts {
    private static final Logger LOG = LoggerFactory.getLogger(PortConflicts.class);
    /** Starts in all: a conflict needs another program to bind the very port in a few milliseconds. */
    public static final int ATTEMPTS = 4;

    private PortConflicts() {}

    /**
     * Runs {@code start}; on a bind conflict runs {@code remove} and tries again, at most
     * {@value #ATTEMPTS} starts in all.
     */
    public static void start(String what, Runnable start, Runnable remove) {
        for (int attempt = 1; ; attempt++) {
            try {
                start.run();
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isBindConflict(e)) {
                    throw e;
                }
                LOG.warn("{}: a host port was taken between choosing and binding ({}); starting again with fresh ports"
                        + " (attempt {} of {})", what, bindMessage(e), attempt + 1, ATTEMPTS);
                remove.run();
            }
        }
    }

    /** Docker's two words for it: its own allocator ("port is already allocated") or the kernel's. */
    static boolean isBindConflict(Throwable e) {
        return bindMessage(e) != null;
    }

    private static String bindMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("port is already allocated") || m.contains("address already in use"))) {
                return m.strip();
            }
        }
        return null;
    }
}
