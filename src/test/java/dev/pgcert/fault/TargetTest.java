package dev.pgcert.fault;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {
    @Test
    void parsesRolesNamesAndEtcdMembers() {
        assertThat(Target.parse("primary")).isInstanceOf(Target.Primary.class);
        assertThat(Target.parse("Leader")).isInstanceOf(Target.Primary.class);
        assertThat(Target.parse("sync_standby")).isInstanceOf(Target.SyncStandby.class);
        assertThat(Target.parse("replica")).isInstanceOf(Target.AnyReplica.class);
        assertThat(Target.parse("cascading-replica")).isInstanceOf(Target.CascadingReplica.class);
        assertThat(Target.parse("node:node2")).isEqualTo(new Target.Named("node2"));
        assertThat(Target.parse("node3")).isEqualTo(new Target.Named("node3"));
        assertThat(Target.parse("etcd")).isEqualTo(new Target.Etcd(OptionalInt.empty()));
        assertThat(Target.parse("etcd:2")).isEqualTo(new Target.Etcd(OptionalInt.of(2)));
        assertThat(Target.parse("etcd:2").spec()).isEqualTo("etcd:2");
    }

    @Test
    void parsesStandbyClusterMembers() {
        assertThat(Target.parse("standby:leader")).isEqualTo(new Target.Standby(Target.Standby.LEADER));
        assertThat(Target.parse("standby:Leader")).isEqualTo(new Target.Standby(Target.Standby.LEADER));
        assertThat(Target.parse("standby:replica")).isEqualTo(new Target.Standby(Target.Standby.REPLICA));
        assertThat(Target.parse("standby:dr2")).isEqualTo(new Target.Standby("dr2"));
        assertThat(Target.parse("standby:dr2").spec()).isEqualTo("standby:dr2");
        assertThat(Target.parse("standby")).as("a bare 'standby' stays any replica").isInstanceOf(Target.AnyReplica.class);
        assertThatThrownBy(() -> Target.parse("standby:")).hasMessageContaining("standby:leader");
    }

    @Test
    void rejectsEmptyAndBadIndexes() {
        assertThatThrownBy(() -> Target.parse(" ")).hasMessageContaining("empty target");
        assertThatThrownBy(() -> Target.parse("etcd:x")).hasMessageContaining("etcd index");
    }
}
