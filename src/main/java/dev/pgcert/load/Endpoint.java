package dev.pgcert.load;

/** Which of the two load endpoints an operation uses: the read-write one or the read-only one. */
public enum Endpoint {
    RW, RO;

    /** The name used in history values and in the load spec ("rw", "ro"). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Endpoint parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "rw" -> RW;
            case "ro" -> RO;
            default -> throw new IllegalArgumentException("endpoint must be rw or ro, got '" + text + "'");
        };
    }
}
