package dev.pgcert.fault;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionShapesTest {
    private static final List<String> SIX = List.of("node1", "node2", "node3", "etcd1", "etcd2", "etcd3");

    @Test
    void theSameSeedGivesTheSameCutWhateverTheOrderOfTheMembers() {
        for (PartitionShapes.Shape shape : PartitionShapes.Shape.values()) {
            PartitionShapes.Cut a = PartitionShapes.of(shape, SIX, new Random(42));
            PartitionShapes.Cut b = PartitionShapes.of(shape, reversedSix(), new Random(42));
            assertThat(a).as(shape.spec).isEqualTo(b);
        }
        // and some seed gives another one (the seed is used at all)
        PartitionShapes.Cut first = PartitionShapes.of(PartitionShapes.Shape.RANDOM_HALVES, SIX, new Random(1));
        assertThat(java.util.stream.LongStream.range(2, 20)
                .mapToObj(s -> PartitionShapes.of(PartitionShapes.Shape.RANDOM_HALVES, SIX, new Random(s))))
                .anyMatch(c -> !c.equals(first));
    }

    @Test
    void groupsCutEveryPairAcrossAndNoPairWithin() {
        PartitionShapes.Cut cut = PartitionShapes.groups(List.of(List.of("node1"), List.of("node2", "node3", "etcd1")));
        assertThat(cut.grudge()).containsEntry("node1", Set.of("node2", "node3", "etcd1"))
                .containsEntry("node2", Set.of("node1")).containsEntry("etcd1", Set.of("node1"));
    }

    @Test
    void randomHalvesAndIsolatedSplitEveryMemberIntoTwoGroups() {
        PartitionShapes.Cut halves = PartitionShapes.of(PartitionShapes.Shape.RANDOM_HALVES, SIX, new Random(3));
        assertThat(halves.groups()).hasSize(2).allSatisfy(g -> assertThat(g).hasSize(3));
        PartitionShapes.Cut one = PartitionShapes.of(PartitionShapes.Shape.ISOLATED, SIX, new Random(3));
        assertThat(one.groups().get(0)).hasSize(1);
        String alone = one.groups().get(0).get(0);
        assertThat(one.grudge().get(alone)).hasSize(5);
        assertThat(symmetric(one.grudge())).isTrue();
    }

    @Test
    void theBridgeReachesBothHalvesWhichDoNotReachEachOther() {
        PartitionShapes.Cut cut = PartitionShapes.of(PartitionShapes.Shape.BRIDGE, List.of("a", "b", "c", "d", "e"), new Random(5));
        assertThat(cut.groups()).hasSize(3);
        String bridge = cut.groups().get(1).get(0);
        assertThat(cut.grudge().get(bridge)).isEmpty();
        for (String m : cut.grudge().keySet()) {
            assertThat(cut.grudge().get(m)).doesNotContain(bridge);
        }
        List<String> left = cut.groups().get(0), right = cut.groups().get(2);
        assertThat(left.size() + right.size()).isEqualTo(4);
        left.forEach(l -> assertThat(cut.grudge().get(l)).containsExactlyInAnyOrderElementsOf(right));
        assertThatThrownBy(() -> PartitionShapes.of(PartitionShapes.Shape.BRIDGE, List.of("a", "b"), new Random(1)))
                .hasMessageContaining("at least 3");
    }

    @Test
    void inAMajoritiesRingEachSeesAMajorityAndNoTwoTheSameOne() {
        for (int n = 3; n <= 7; n++) {
            List<String> members = new java.util.ArrayList<>();
            for (int i = 1; i <= n; i++) members.add("m" + i);
            Map<String, Set<String>> grudge = PartitionShapes.of(PartitionShapes.Shape.MAJORITIES_RING, members, new Random(n)).grudge();
            assertThat(grudge).hasSize(n);
            Set<Set<String>> seen = new java.util.HashSet<>();
            for (String m : members) {
                Set<String> sees = new TreeSet<>(members);
                sees.removeAll(grudge.get(m));
                assertThat(sees).as("n=%d: %s sees itself and a majority", n, m).contains(m).hasSize(n / 2 + 1);
                seen.add(sees);
            }
            assertThat(seen).as("n=%d: no two members see the same majority", n).hasSize(n);
        }
    }

    private static List<String> reversedSix() {
        List<String> r = new java.util.ArrayList<>(SIX);
        java.util.Collections.reverse(r);
        return r;
    }

    private static boolean symmetric(Map<String, Set<String>> grudge) {
        return grudge.entrySet().stream().allMatch(e -> e.getValue().stream()
                .allMatch(o -> grudge.getOrDefault(o, Set.of()).contains(e.getKey())));
    }
}
