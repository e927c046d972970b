package dev.pgcert.fault;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultRegistryTest {
    private final FaultRegistry registry = FaultRegistry.standard();

    @Test
    void knowsEveryKindOfTheLibrary() {
        assertThat(registry.kinds()).contains("kill", "stop", "freeze", "restart", "postmaster-kill", "patroni-kill",
                "patroni-stop", "partition", "split", "disk-full", "etcd-kill", "etcd-quorum-loss", "latency");
    }

    @Test
    void buildsFromScenarioMaps() {
        Fault kill = registry.create("f1", Map.of("kind", "kill", "target", "primary"));
        assertThat(kill).isInstanceOf(ContainerFault.class);
        assertThat(kill.kind()).isEqualTo("kill");
        assertThat(kill.target()).isEqualTo("unresolved");

        assertThat(registry.create("f2", Map.of("kind", "partition", "target", "primary", "from", "dcs")))
                .isInstanceOf(PartitionFault.class);
        assertThat(registry.create("f3", Map.of("kind", "disk-full", "target", "primary", "volume", "data", "fill", "100%")))
                .isInstanceOf(DiskFillFault.class);
        assertThat(registry.create("f4", Map.of("kind", "stop", "grace", "5s")).kind()).isEqualTo("stop");
        assertThat(registry.create("f5", Map.of("kind", "etcd-kill", "target", "etcd:2")).kind()).isEqualTo("etcd-kill");
    }

    @Test
    void unknownKindListsTheKnownOnes() {
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "meteor")))
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("kind: unknown fault kind 'meteor'")
                .hasMessageContaining("partition");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "partiton")))
                .hasMessageContaining("unknown fault kind 'partiton'; did you mean 'partition'?");
        assertThatThrownBy(() -> registry.create("f1", Map.of("target", "primary")))
                .hasMessageContaining("kind: required field is missing");
    }

    @Test
    void unknownParameterIsAnErrorNotADefault() {
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "partition", "form", "dcs")))
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("form: unknown parameter 'form'; did you mean 'from'?");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "kill", "grace", "5s")))
                .hasMessageContaining("unknown parameter 'grace'; kill takes target");
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "partition", "from", "mars")))
                .hasMessageContaining("from 'mars': expected all, dcs, nodes, replicas or clients");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "partition", "direction", "sideways")))
                .hasMessageContaining("direction 'sideways'");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "disk-full", "fill", "lots")))
                .hasMessageContaining("fill: 'lots' is not a percentage");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "disk-full", "fill", "150%")))
                .hasMessageContaining("at most 100%");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "stop", "grace", "soon")))
                .hasMessageContaining("grace: expected a duration such as 500ms, 10s, 2m or 1h, got 'soon'");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "stop", "grace", "90")))
                .hasMessageContaining("grace: 90 has no unit: write 90s (or 500ms, 2m, 1h)");
        assertThatThrownBy(() -> registry.create("f1", Map.of("kind", "kill", "target", "etcd:0")))
                .hasMessageContaining("etcd index");
    }

    @Test
    void linkFaultsNameTheirLinkAndRejectUnknownStreams() {
        Fault latency = registry.create("f1", Map.of("kind", "latency", "link", "replication", "target", "node2",
                "latency", "200ms", "jitter", "20ms"));
        assertThat(latency.kind()).isEqualTo("latency");
        assertThatThrownBy(() -> registry.create("f2", Map.of("kind", "bandwidth", "link", "wan")))
                .hasMessageContaining("expected client, replication or dcs");
        assertThatThrownBy(() -> registry.create("f3", Map.of("kind", "reset-peer", "link", "client", "stream", "sideways")))
                .hasMessageContaining("expected downstream or upstream");
    }

    @Test
    void parsesDurationsInTheOneGrammar() {
        var doc = dev.pgcert.yaml.YamlDocument.parse("{a: 500ms, b: 2m, c: 3, d: 1.5s, f: 1h, g: 2min}", "f.yaml");
        FaultParams p = new FaultParams("f", "k", doc.rootMap().orElseThrow());
        assertThat(p.duration("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.duration("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.duration("c", Duration.ofSeconds(9))).as("a bare number is refused, the default stays").isEqualTo(Duration.ofSeconds(9));
        assertThat(p.duration("d", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(p.duration("e", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
        assertThat(p.duration("f", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
        assertThat(p.duration("g", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(doc.allProblems()).extracting(dev.pgcert.yaml.Problem::format)
                .containsExactly("f.yaml:1:22: c: 3 has no unit: write 3s (or 500ms, 2m, 1h)");
    }
}
