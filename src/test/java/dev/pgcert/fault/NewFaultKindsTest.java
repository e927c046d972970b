package dev.pgcert.fault;

import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.YamlDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kinds of issue 14 from scenario text: what they build, and each bad parameter at its file:line:col. */
class NewFaultKindsTest {
    private final FaultRegistry registry = FaultRegistry.standard();

    /** The errors of one fault written as a scenario file would hold it ({@code f.yaml}). */
    private List<String> errors(String yaml) {
        YamlDocument doc = YamlDocument.parse(yaml, "f.yaml");
        Optional<Fault> fault = doc.rootMap().flatMap(m -> registry.create("f1", m));
        assertThat(fault).as("a fault with errors is not built").isEmpty();
        return doc.problems().all().stream().map(Problem::format).toList();
    }

    private Fault build(String yaml) {
        YamlDocument doc = YamlDocument.parse(yaml, "f.yaml");
        Optional<Fault> fault = doc.rootMap().flatMap(m -> registry.create("f1", m));
        assertThat(doc.problems().all()).isEmpty();
        return fault.orElseThrow();
    }

    @Test
    void everyNewKindIsRegistered() {
        assertThat(registry.kinds()).contains("clock-skew", "partition-groups", "pause-process", "wal-replay-pause",
                "wipe-data", "postgres-cannot-start", "add-member", "packet-loss");
    }

    @Test
    void clockSkewTakesOneOfAheadAndBehindInWholeSeconds() {
        ClockSkewFault ahead = (ClockSkewFault) build("kind: clock-skew\ntarget: replica\nahead: 2m\n");
        assertThat(ahead.spec()).isEqualTo("+120s");
        assertThat(((ClockSkewFault) build("kind: clock-skew\nbehind: 30s\n")).spec()).isEqualTo("-30s");
        assertThat(errors("kind: clock-skew\nahead: 30s\nbehind: 30s\n"))
                .containsExactly("f.yaml:1:1: clock-skew needs exactly one of ahead: DURATION or behind: DURATION");
        assertThat(errors("kind: clock-skew\n")).hasSize(1);
        assertThat(errors("kind: clock-skew\nahead: 1500ms\n")).singleElement().asString()
                .startsWith("f.yaml:1:1: ").contains("whole seconds");
        assertThat(errors("kind: clock-skew\nahead: soon\n")).first().asString()
                .startsWith("f.yaml:2:8: ahead: expected a duration");
    }

    @Test
    void partitionGroupsTakesGroupsOrAShapeAndSaysWhereEachMistakeIs() {
        assertThat(build("kind: partition-groups\ngroups: [[node1], [node2, node3, etcd]]\n"))
                .isInstanceOf(PartitionGroupsFault.class);
        assertThat(build("kind: partition-groups\nshape: majorities-ring\nseed: 7\n")).isInstanceOf(PartitionGroupsFault.class);
        assertThat(errors("kind: partition-groups\nshape: triangle\n")).first().asString()
                .startsWith("f.yaml:2:8: shape: shape 'triangle': expected random-halves, isolated, bridge or majorities-ring");
        assertThat(errors("kind: partition-groups\ngroups: [[node1], node2]\n")).first().asString()
                .startsWith("f.yaml:2:19: ").contains("expected a list");
        assertThat(errors("kind: partition-groups\ngroups: [[node1], []]\n")).first().asString()
                .startsWith("f.yaml:2:19: ").contains("an empty group");
        assertThat(errors("kind: partition-groups\ngroups: [[node1]]\n")).singleElement().asString()
                .isEqualTo("f.yaml:1:1: partition-groups needs at least two groups, got 1");
        assertThat(errors("kind: partition-groups\ngroups: [[node1], [node1, node2]]\n")).singleElement().asString()
                .isEqualTo("f.yaml:1:1: 'node1' is in more than one group");
        assertThat(errors("kind: partition-groups\n")).singleElement().asString().startsWith("f.yaml:1:1: ")
                .contains("either groups");
        assertThat(errors("kind: partition-groups\nshape: bridge\nseed: x\n")).first().asString().startsWith("f.yaml:3:7: seed:");
    }

    @Test
    void pauseProcessNeedsAKnownProcessAndAimsWhereItRuns() {
        Fault walreceiver = build("kind: pause-process\nprocess: walreceiver\n");
        assertThat(walreceiver.kind()).isEqualTo("pause-process");
        assertThat(((PauseProcessFault) walreceiver)).extracting("target").hasToString("AnyReplica[]");
        assertThat(((PauseProcessFault) build("kind: pause-process\nprocess: checkpointer\n"))).extracting("target")
                .hasToString("Primary[]");
        assertThat(build("kind: pause-process\nprocess: walsender\nto: node2\n")).isInstanceOf(PauseProcessFault.class);
        assertThat(errors("kind: pause-process\n")).singleElement().asString()
                .isEqualTo("f.yaml:1:1: process: required field is missing");
        assertThat(errors("kind: pause-process\nprocess: autovacuum\n")).singleElement().asString()
                .startsWith("f.yaml:2:10: process: process 'autovacuum': expected walreceiver, startup, walsender or checkpointer");
        assertThat(errors("kind: pause-process\nprocess: startup\nto: node2\n")).singleElement().asString()
                .startsWith("f.yaml:1:1: to: names a walsender's replica");
    }

    @Test
    void theOtherKindsCheckTheirFewParameters() {
        assertThat(build("kind: wal-replay-pause\n").kind()).isEqualTo("wal-replay-pause");
        assertThat(build("kind: wipe-data\ntarget: node2\n").kind()).isEqualTo("wipe-data");
        assertThat(build("kind: postgres-cannot-start\nsetting: shared_buffers = '1TB'\n").detail()).isEmpty();
        assertThat(errors("kind: postgres-cannot-start\nsetting: \"not a setting\"\n")).singleElement().asString()
                .startsWith("f.yaml:1:1: setting 'not a setting': expected one line NAME = VALUE");
        assertThat(build("kind: add-member\nname: node4\n").target()).isEqualTo("unresolved");
        assertThat(errors("kind: add-member\nname: Node_4\n")).singleElement().asString()
                .startsWith("f.yaml:1:1: name 'Node_4': a member name is lower-case letters");
        assertThat(errors("kind: wipe-data\nvolume: data\n")).singleElement().asString()
                .isEqualTo("f.yaml:2:1: volume: unknown parameter 'volume'; wipe-data takes target");
    }

    @Test
    void packetLossIsThePartitionsRulesWithARandomShare() {
        Fault loss = build("kind: packet-loss\ntarget: replica\nfrom: nodes\nloss: 30%\n");
        assertThat(loss.kind()).isEqualTo("packet-loss");
        assertThat(errors("kind: packet-loss\nloss: 0%\n")).singleElement().asString()
                .startsWith("f.yaml:2:7: loss: must be more than 0%");
        assertThat(errors("kind: packet-loss\nduplicate: 5%\n")).singleElement().asString()
                .startsWith("f.yaml:2:1: duplicate: unknown parameter 'duplicate'");
        assertThat(new IptablesChain("f1", 30).installScript(List.of("10.0.0.2"), IptablesChain.Direction.BOTH))
                .contains("-s 10.0.0.2 -m statistic --mode random --probability 0.3000 -j DROP")
                .contains("-d 10.0.0.2 -m statistic --mode random --probability 0.3000 -j DROP");
        assertThat(new IptablesChain("f1").installScript(List.of("10.0.0.2"), IptablesChain.Direction.BOTH))
                .doesNotContain("statistic");
    }

    @Test
    void valuesGivenInCodeGoThroughTheSameReaders() {
        assertThat(registry.create("g", Map.of("kind", "partition-groups", "groups", List.of(List.of("primary"),
                List.of("replicas", "etcd"))))).isInstanceOf(PartitionGroupsFault.class);
        assertThatThrownBy(() -> registry.create("g", Map.of("kind", "clock-skew", "ahead", "30")))
                .hasMessageContaining("ahead: 30 has no unit");
    }
}
