package dev.pgcert.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The known stacks, read once from {@code stacks.properties} next to this class (the one list:
 * bin/setup-docker-host reads the same file to seed each stack's base image). A topology picks one
 * with {@code stack:}; {@code -Dpgcert.stack=NAME} overrides every topology of a run; without either
 * a topology runs on {@link #defaultStack()}.
 */
public final class Stacks {

    /** The system property that overrides every topology's {@code stack:} for one run. */
    public static final String OVERRIDE_PROPERTY = "pgcert.stack";

    private static final String FILE = "stacks.properties";
    private static final Map<String, Stack> KNOWN;
    private static final Stack DEFAULT;
    private static final List<String> NAMES;

    static {
        Properties p = new Properties();
        try (InputStream in = Stacks.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the classpath next to " + Stacks.class.getName());
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        Map<String, Stack> known = new LinkedHashMap<>();
        for (String name : Arrays.stream(p.getProperty("order", "").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList()) {
            known.put(name, new Stack(name, value(p, name, "debian"), value(p, name, "base"),
                    value(p, name, "postgres_major"), value(p, name, "postgresql"), value(p, name, "patroni"),
                    value(p, name, "pgbouncer"), value(p, name, "haproxy"), value(p, name, "etcd")));
        }
        KNOWN = Map.copyOf(known);
        NAMES = List.copyOf(known.keySet());
        String defaultName = p.getProperty("default", "").strip();
        if (!known.containsKey(defaultName)) {
            throw new IllegalStateException(FILE + ": default=" + defaultName + " is not one of " + NAMES);
        }
        DEFAULT = known.get(defaultName);
    }

    private Stacks() {}

    private static String value(Properties p, String stack, String key) {
        String v = p.getProperty(stack + "." + key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(FILE + ": " + stack + "." + key + " is missing");
        }
        return v.strip();
    }

    /** The stack a topology without {@code stack:} runs on: the newest, unless stacks.properties says otherwise. */
    public static Stack defaultStack() {
        return DEFAULT;
    }

    /** Known stack names, newest first. */
    public static List<String> names() {
        return NAMES;
    }

    public static Optional<Stack> byName(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    /** Every known stack, newest first. */
    public static List<Stack> all() {
        return NAMES.stream().map(KNOWN::get).toList();
    }

    /** The stack after {@code first} for a second run of the same suite (the nightly run on the other stack). */
    public static Stack other(Stack first) {
        return all().stream().filter(s -> !s.equals(first)).findFirst().orElse(first);
    }

    /** {@code -Dpgcert.stack}, when set and not blank. */
    public static Optional<String> override() {
        return Optional.ofNullable(System.getProperty(OVERRIDE_PROPERTY)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
