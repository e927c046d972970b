package dev.pgcert.cluster;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * Chooses the host ports that the harness's containers publish on 127.0.0.1. Docker binds a
 * published port only when the container starts, so a port chosen earlier can be taken in
 * between. Any outgoing connection on the machine takes its local port from the kernel's ephemeral
 * range ({@code net.ipv4.ip_local_port_range}), so ports are chosen outside that range (from
 * {@value #LOWEST} up) and only if nothing listens on them yet. A port another program binds in
 * the short time left is handled by {@link PortConflicts}, which starts the container again with
 * fresh ports.
 *
 * <p>{@code -Dpgcert.hostPorts=FROM-TO} replaces the computed range (for a machine whose
 * ephemeral range leaves nothing above {@value #LOWEST}).
 */
public final class HostPorts implements IntSupplier {
    public static final String RANGE_PROPERTY = "pgcert.hostPorts";
    /** Below this, well-known and registered service ports crowd; the harness leaves them alone. */
    static final int LOWEST = 10_000;
    static final int HIGHEST = 65_535;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** An inclusive range of ports. */
    public record Range(int first, int last) {
        public Range {
            if (first < 1 || last > HIGHEST || first > last) {
                throw new IllegalArgumentException("not a port range: " + first + "-" + last);
            }
        }

        int size() {
            return last - first + 1;
        }

        boolean contains(int port) {
            return port >= first && port <= last;
        }

        /** {@code FROM-TO}, or the two numbers of {@code ip_local_port_range} separated by blanks. */
        static Range parse(String text) {
            String[] parts = text.trim().split("[\\s-]+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("not a port range: '" + text.trim() + "' (expected FROM-TO)");
            }
            try {
                return new Range(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port range: '" + text.trim() + "' (expected FROM-TO)");
            }
        }

        @Override
        public String toString() {
            return first + "-" + last;
        }
    }

    private static volatile HostPorts system;

    private final List<Range> candidates;
    private final int total;
    private final IntPredicate free;
    private int cursor;

    /**
     * @param candidates where ports may come from
     * @param free       whether a port can be bound right now
     * @param start      index of the first candidate to hand out (the system's is random, so two
     *                   JVMs do not walk the same sequence)
     */
    HostPorts(List<Range> candidates, IntPredicate free, int start) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no ports to choose from");
        }
        this.candidates = List.copyOf(candidates);
        this.total = candidates.stream().mapToInt(Range::size).sum();
        this.free = free;
        this.cursor = Math.floorMod(start, total);
    }

    /** This machine's chooser: outside its ephemeral range, or {@code -Dpgcert.hostPorts}. */
    public static HostPorts system() {
        HostPorts s = system;
        if (s == null) {
            synchronized (HostPorts.class) {
                s = system;
                if (s == null) {
                    List<Range> ranges = systemRanges();
                    int total = ranges.stream().mapToInt(Range::size).sum();
                    s = system = new HostPorts(ranges, HostPorts::isFreeOnLoopback, ThreadLocalRandom.current().nextInt(total));
                }
            }
        }
        return s;
    }

    private static List<Range> systemRanges() {
        String configured = System.getProperty(RANGE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return List.of(Range.parse(configured));
        }
        Range ephemeral;
        try {
            ephemeral = readRange(EPHEMERAL_RANGE);
        } catch (IOException e) {
            // Not Linux, or no /proc: Linux's default range.
            ephemeral = new Range(32_768, 60_999);
        }
        List<Range> outside = outside(ephemeral);
        if (outside.isEmpty()) {
            throw new IllegalStateException("the kernel's ephemeral port range " + ephemeral + " (" + EPHEMERAL_RANGE
                    + ") leaves no port from " + LOWEST + " to " + HIGHEST + " for containers; set -D"
                    + RANGE_PROPERTY + "=FROM-TO");
        }
        return outside;
    }

    /**
     * Reads a range file such as {@code ip_local_port_range}. Not with {@code Files.readString}: a
     * /proc file reports size 0, and on this project's machines readString returned only its
     * first character ("3").
     */
    static Range readRange(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return Range.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** The ports from {@value #LOWEST} to {@value #HIGHEST} that lie outside {@code ephemeral}, in order. */
    static List<Range> outside(Range ephemeral) {
        List<Range> ranges = new ArrayList<>();
        if (ephemeral.first() > LOWEST) {
            ranges.add(new Range(LOWEST, Math.min(ephemeral.first() - 1, HIGHEST)));
        }
        if (ephemeral.last() < HIGHEST) {
            ranges.add(new Range(Math.max(ephemeral.last() + 1, LOWEST), HIGHEST));
        }
        return ranges;
    }

    List<Range> candidates() {
        return candidates;
    }

    /**
     * The next candidate that nothing listens on. Candidates are handed out in turn, so this JVM
     * does not hand out a port twice before it has gone round the whole range.
     */
    @Override
    public synchronized int getAsInt() {
        for (int tried = 0; tried < total; tried++) {
            int port = at(cursor);
            cursor = (cursor + 1) % total;
            if (free.test(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + candidates);
    }

    private int at(int index) {
        int i = index;
        for (Range r : candidates) {
            if (i < r.size()) {
                return r.first() + i;
            }
            i -= r.size();
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** Whether a listening socket could bind 127.0.0.1:{@code port} now (as Docker's will). */
    static boolean isFreeOnLoopback(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Publishes every port the command exposes on 127.0.0.1 only, each on a port from {@code ports}.
     * Docker keeps these bindings in the container's configuration, so a container that a fault
     * stops, kills or restarts comes back on the same host ports.
     */
    public static void bindLoopback(CreateContainerCmd cmd, IntSupplier ports) {
        Ports bindings = new Ports();
        ExposedPort[] exposed = cmd.getExposedPorts();
        if (exposed == null) {
            return;
        }
        for (ExposedPort port : exposed) {
            bindings.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", ports.getAsInt()));
        }
        cmd.getHostConfig().withPortBindings(bindings);
    }
}
