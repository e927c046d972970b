package dev.pgcert.load;

import java.time.Duration;

/** The fresh-connection probe beside the pooled load: attempts per second and its own short timeouts. */
public record ProbeSpec(double perSecond, Duration connectTimeout, Duration socketTimeout, boolean readWrite, boolean readOnly) {
    public static final ProbeSpec DEFAULT = new ProbeSpec(20, Duration.ofSeconds(1), Duration.ofSeconds(1), true, true);
    public static final ProbeSpec OFF = new ProbeSpec(0, Duration.ofSeconds(1), Duration.ofSeconds(1), false, false);

    public boolean enabled() {
        return perSecond > 0 && (readWrite || readOnly);
    }
}
