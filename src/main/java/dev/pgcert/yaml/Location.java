package dev.pgcert.yaml;

/**
 * Where something is in a source file: 1-based line and column, as editors count them.
 * A line of 0 means the position is unknown (the problem concerns the whole file).
 */
public record Location(String source, int line, int column) {

    public static Location wholeFile(String source) {
        return new Location(source, 0, 0);
    }

    public boolean known() {
        return line > 0;
    }

    /** {@code source:line:column}, or just {@code source} when the position is unknown. */
    @Override
    public String toString() {
        return known() ? source + ":" + line + ":" + column : source;
    }
}
