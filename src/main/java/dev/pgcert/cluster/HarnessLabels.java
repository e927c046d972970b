package dev.pgcert.cluster;

import java.util.Map;
import java.util.UUID;

/**
 * Labels on every container, network and volume the harness makes. Ryuk (Testcontainers' reaper)
 * cannot run on air-gapped machines, so the harness cleans up itself: teardown removes what
 * carries this run's id, and {@link LeftoverSweeper} removes what a crashed run (its owner PID gone)
 * left behind.
 */
public final class HarnessLabels {
    public static final String HARNESS = "dev.pgcert.harness";
    public static final String RUN_ID = "dev.pgcert.run";
    public static final String OWNER_PID = "dev.pgcert.owner-pid";
    public static final String OWNER_HOST = "dev.pgcert.owner-host";

    private HarnessLabels() {}

    public static String newRunId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, String> forRun(String runId) {
        return Map.of(
                HARNESS, "true",
                RUN_ID, runId,
                OWNER_PID, Long.toString(ProcessHandle.current().pid()),
                OWNER_HOST, hostName());
    }

    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
