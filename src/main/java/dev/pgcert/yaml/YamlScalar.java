package dev.pgcert.yaml;

/**
 * A scalar exactly as written: its text, not YAML's guess at a type. Readers decide the type per
 * field, so {@code on} stays the PostgreSQL value "on" and {@code 007} stays "007".
 */
public final class YamlScalar extends YamlNode {

    private final String text;
    private final boolean isNull;

    YamlScalar(String path, Location location, Problems problems, String text, boolean isNull) {
        super(path, location, problems);
        this.text = text;
        this.isNull = isNull;
    }

    public String text() {
        return text;
    }

    /** An empty value ({@code key:}), {@code ~} or {@code null}. */
    public boolean isNull() {
        return isNull;
    }

    @Override
    public String describe() {
        return isNull ? "an empty value" : "'" + text + "'";
    }
}
