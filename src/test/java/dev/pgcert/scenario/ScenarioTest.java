package dev.pgcert.scenario;

import dev.pgcert.fault.Fault;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.load.Profile;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A scenario written in Java reads like its YAML twin, and both load to the same thing. */
class ScenarioTest {
    private static final Path TOPOLOGIES = Path.of("topologies");

    @Test
    void theFluentApiDescribesTheSameScenarioAsTheYamlFile() {
        Topology topology = TopologyLoader.load(TOPOLOGIES.resolve("three-node-async.yaml"));

        Scenario inJava = Scenario.named("primary-crash-async")
                .describedAs("SIGKILL of the primary under load")
                .tagged("smoke")
                .on(topology)
                .withLoad(LoadSpec.builder().writes(Profile.rate(200)).reads(Profile.rate(50)).build())
                .warmUp(Duration.ofSeconds(5))
                .inject("kill", Map.of("target", "primary"), Duration.ofSeconds(30))
                .heal(Duration.ofSeconds(2))
                .settle()
                .expect("failover_time.client", "< ttl + 20s")
                .build();
        Scenario fromYaml = ScenarioLoader.load(Path.of("scenarios", "primary-crash-async.yaml"), TOPOLOGIES);

        assertThat(inJava.topology()).isEqualTo(fromYaml.topology());
        assertThat(inJava.phases()).extracting(Scenario.Phase::name).isEqualTo(fromYaml.phases().stream().map(Scenario.Phase::name).toList());
        assertThat(inJava.phases().get(1).inject()).extracting(Fault::id, Fault::kind, Fault::describe)
                .isEqualTo(fromYaml.phases().get(1).inject().stream().map(f -> org.assertj.core.groups.Tuple.tuple(f.id(), f.kind(), f.describe())).toList());
        assertThat(fromYaml.phases().get(1).inject()).extracting(Fault::id).containsExactly("fault-kill-1");
        assertThat(fromYaml.phases().get(3).untilHealthy()).isTrue();
        assertThat(inJava.load()).as("the same load, the same derived bound").isEqualTo(fromYaml.load());
        assertThat(fromYaml.expectations()).extracting(Object::toString).contains("failover_time.client < ttl + 20s");
    }

    @Test
    void aScenarioOnAMissingTopologyIsRejectedBeforeAnythingStarts(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                name: s
                topology: no-such-topology
                phases:
                  - {name: wait, duration: 1s}
                """);

        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessage(file + ":2:11: topology: no topology 'no-such-topology' (looked for "
                        + TOPOLOGIES.resolve("no-such-topology.yaml") + ")");
    }

    @Test
    void aFaultWithAnUnknownParameterIsRejectedWithItsLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                name: s
                topology: three-node-async
                phases:
                  - name: fault
                    inject:
                      - {kind: kill, targt: primary}
                    duration: 1s
                """);

        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessage(file + ":6:22: phases[0].inject[0].targt: unknown parameter 'targt'; did you mean 'target'?");
    }

    @Test
    void writesAimedAtANodeTheTopologyLacksAreRejectedWithTheirLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                name: s
                topology: three-node-async
                load:
                  writes: {rate: 5, node: node9}
                phases:
                  - {name: warm-up, duration: 1s}
                """);

        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessage(file + ":4:27: load.writes.node: no node 'node9' in topology three-node-async (it has node1, node2, node3)");
    }

    @Test
    void aDiskFullOnAVolumeWithoutSizeIsRejectedBeforeAnythingStarts(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                name: s
                topology: disk-limited
                phases:
                  - name: fault
                    inject:
                      - {kind: disk-full, target: primary, volume: wal}
                    duration: 1s
                """);

        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessage(file + ":6:9: phases[0].inject[0]: disk-full on primary: the wal volume of node1, node2, node3"
                        + " has no size in topology disk-limited (set nodes[].wal_volume; an unlimited volume is the host's disk)");
    }

    @Test
    void aLinkFaultOnALinkThatSkipsToxiproxyIsRejectedBeforeAnythingStarts(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                name: s
                topology: three-node-async
                phases:
                  - name: fault
                    inject:
                      - {kind: latency, link: replication, target: node1}
                      - {kind: link-down, link: dcs, target: primary}
                    duration: 1s
                """);

        assertThatThrownBy(() -> ScenarioLoader.load(file, TOPOLOGIES))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(":6:9: phases[0].inject[0]: latency on node1's replication link: topology three-node-async"
                        + " does not route it through Toxiproxy (add {link: replication, node: node1} under toxiproxy:)")
                .hasMessageContaining(":7:9: phases[0].inject[1]: link-down on the dcs link: topology three-node-async"
                        + " routes no dcs link through Toxiproxy (add {link: dcs, node: NAME} under toxiproxy:)");
    }
}
