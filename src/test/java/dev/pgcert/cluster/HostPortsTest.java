package dev.pgcert.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcert.cluster.HostPorts.Range;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostPortsTest {

    @Test
    void readsTheKernelsRangeFile() {
        assertThat(Range.parse("32768\t60999\n")).isEqualTo(new Range(32768, 60999));
        assertThat(Range.parse("20000-20009")).isEqualTo(new Range(20000, 20009));
        assertThatThrownBy(() -> Range.parse("32768")).hasMessageContaining("expected FROM-TO");
        assertThatThrownBy(() -> Range.parse("9-x")).hasMessageContaining("expected FROM-TO");
        assertThatThrownBy(() -> Range.parse("500-400")).hasMessageContaining("not a port range");
    }

    @Test
    void candidatesLieBelowAndAboveTheEphemeralRange() {
        assertThat(HostPorts.outside(new Range(32768, 60999)))
                .containsExactly(new Range(10000, 32767), new Range(61000, 65535));
        // An ephemeral range that starts low leaves only the ports above it.
        assertThat(HostPorts.outside(new Range(1024, 40000))).containsExactly(new Range(40001, 65535));
        // One that ends at the top leaves only the ports below it.
        assertThat(HostPorts.outside(new Range(50000, 65535))).containsExactly(new Range(10000, 49999));
        // One that covers everything leaves nothing: the system chooser then asks for -Dpgcert.hostPorts.
        assertThat(HostPorts.outside(new Range(1024, 65535))).isEmpty();
    }

    @Test
    void handsOutEachCandidateOnceBeforeGoingRoundAgainAndSkipsBusyOnes() {
        Set<Integer> busy = Set.of(20001, 20003);
        HostPorts ports = new HostPorts(List.of(new Range(20000, 20004), new Range(30000, 30001)),
                p -> !busy.contains(p), 2);
        List<Integer> handed = new ArrayList<>();
        IntStream.range(0, 6).forEach(i -> handed.add(ports.getAsInt()));
        assertThat(handed).containsExactly(20002, 20004, 30000, 30001, 20000, 20002);
    }

    @Test
    void saysWhichRangeIsFullWhenNothingIsFree() {
        HostPorts ports = new HostPorts(List.of(new Range(20000, 20002)), p -> false, 0);
        assertThatThrownBy(ports::getAsInt).hasMessageContaining("no free port on 127.0.0.1 in [20000-20002]");
    }

    @Test
    void thisMachinesPortsAreOutsideItsEphemeralRangeAndFree() throws IOException {
        Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Range ephemeral = Files.isReadable(file) ? HostPorts.readRange(file) : new Range(32768, 60999);
        HostPorts system = HostPorts.system();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = system.getAsInt();
            assertThat(ephemeral.contains(port)).as("port %d in the ephemeral range %s", port, ephemeral).isFalse();
            assertThat(port).isBetween(HostPorts.LOWEST, HostPorts.HIGHEST);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    @Test
    void aPortSomethingListensOnIsNotFree() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(HostPorts.isFreeOnLoopback(taken.getLocalPort())).isFalse();
        }
    }
}
