package dev.pgcert.report;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The report's Environment panel: {@code environment.properties} in the results directory. Several
 * scenarios of one build each add theirs; a key they disagree on (two topologies) keeps every
 * distinct value, separated by {@value #SEPARATOR}, so none is silently overwritten and none is
 * listed twice (a value may itself contain commas, as the host line does).
 */
public final class AllureEnvironment {

    public static final String FILE_NAME = "environment.properties";
    static final String SEPARATOR = " | ";

    private final Map<String, String> entries = new LinkedHashMap<>();

    public static AllureEnvironment create() {
        return new AllureEnvironment();
    }

    public AllureEnvironment postgresql(String version) { return put("PostgreSQL", version); }
    public AllureEnvironment patroni(String version) { return put("Patroni", version); }
    public AllureEnvironment pgbouncer(String version) { return put("PgBouncer", version); }
    public AllureEnvironment haproxy(String version) { return put("HAProxy", version); }
    public AllureEnvironment etcd(String version) { return put("etcd", version); }
    /** The stack: its name, Debian release and the versions it ships ({@code Stack.describe()}). */
    public AllureEnvironment stack(String description) { return put("Stack", description); }
    /** A one-line topology summary, e.g. "3 nodes, async, HAProxy + PgBouncer, ttl 10 / loop_wait 2". */
    public AllureEnvironment topology(String summary) { return put("Topology", summary); }

    /** This machine: OS, cores, memory, Java. */
    public AllureEnvironment host() {
        return put("Host", hostDescription());
    }

    public AllureEnvironment put(String key, String value) {
        if (value != null && !value.isBlank()) entries.put(key, value.strip());
        return this;
    }

    public Map<String, String> entries() {
        return Map.copyOf(entries);
    }

    /** Writes into the results directory this JVM's Allure adapter uses. */
    public Path write() {
        return writeTo(AllureResults.directory());
    }

    public Path writeTo(Path resultsDir) {
        Path file = resultsDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(resultsDir);
            Map<String, String> merged = new TreeMap<>(read(file));
            entries.forEach((k, v) -> merged.merge(k, v, AllureEnvironment::union));
            Properties out = new Properties();
            out.putAll(merged);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.store(w, "pgcert run environment");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, String> existing = new TreeMap<>();
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> existing.put(k, p.getProperty(k)));
        }
        return existing;
    }

    private static String union(String existing, String added) {
        Set<String> values = new LinkedHashSet<>(Arrays.asList(existing.split(java.util.regex.Pattern.quote(SEPARATOR))));
        values.addAll(Arrays.asList(added.split(java.util.regex.Pattern.quote(SEPARATOR))));
        return String.join(SEPARATOR, values);
    }

    static String hostDescription() {
        Runtime rt = Runtime.getRuntime();
        String memory = "";
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = String.format(", %.0f GiB RAM", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return Arrays.stream(new String[]{
                        hostName(),
                        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                        rt.availableProcessors() + " cores" + memory,
                        "Java " + System.getProperty("java.runtime.version")})
                .filter(s -> !s.isBlank())
                .collect(Collectors.joining(", "));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return ""; // no resolvable name: leave it out rather than fail the report
        }
    }
}
