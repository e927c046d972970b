package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcert.yaml.Problem;
import dev.pgcert.yaml.ValidationException;
import org.junit.jupiter.api.Test;

/** Which stack a topology runs on, and the Patroni rules that follow that stack. */
class StacksTest {

    private static final String NODES = "nodes:\n  - name: node1\n  - name: node2\n  - name: node3\n";

    @Test
    void theKnownStacksAreBookwormAndTrixieNewestFirstAndTheDefaultIsOneOfThem() {
        assertThat(Stacks.names()).containsExactly("trixie", "bookworm");
        assertThat(Stacks.names()).contains(Stacks.defaultStack().name());
        Stack trixie = Stacks.byName("trixie").orElseThrow();
        assertThat(trixie.baseImage()).isEqualTo("debian:trixie-slim");
        assertThat(trixie.postgresMajor()).isEqualTo("17");
        assertThat(trixie.patroni()).isEqualTo("4.0.7");
        Stack bookworm = Stacks.byName("bookworm").orElseThrow();
        assertThat(bookworm.baseImage()).isEqualTo("debian:bookworm-slim");
        assertThat(bookworm.postgresMajor()).isEqualTo("15");
        assertThat(bookworm.patroni()).isEqualTo("3.0.2");
        assertThat(Stacks.other(trixie)).isEqualTo(bookworm);
        assertThat(Stacks.other(bookworm)).isEqualTo(trixie);
    }

    @Test
    void withoutStackATopologyRunsOnTheDefaultWithItsBaseImageAndPostgresMajor() {
        Topology t = TopologyLoader.parse("name: plain\n" + NODES, "plain.yaml");

        assertThat(t.images().stack()).isEqualTo(Stacks.defaultStack());
        assertThat(t.images().baseImage()).isEqualTo(Stacks.defaultStack().baseImage());
        assertThat(t.images().postgresMajor()).isEqualTo(Stacks.defaultStack().postgresMajor());
    }

    @Test
    void theTopologyChoosesItsStack() {
        Topology t = TopologyLoader.parse("name: old\nstack: bookworm\n" + NODES, "old.yaml");

        assertThat(t.images().stack().name()).isEqualTo("bookworm");
        assertThat(t.images().baseImage()).isEqualTo("debian:bookworm-slim");
        assertThat(t.images().postgresMajor()).isEqualTo("15");
    }

    @Test
    void imagesKeysStillOverrideTheStacksBaseAndMajor() {
        Topology t = TopologyLoader.parse("name: mirror\nstack: bookworm\nimages: {base: mirror/debian:bookworm-slim, "
                + "postgres_major: 16}\n" + NODES, "mirror.yaml");

        assertThat(t.images().stack().name()).isEqualTo("bookworm");
        assertThat(t.images().baseImage()).isEqualTo("mirror/debian:bookworm-slim");
        assertThat(t.images().postgresMajor()).isEqualTo("16");
    }

    @Test
    void thePropertyOverridesTheTopologyAndTheRulesFollowIt() {
        String yaml = "name: old\nstack: bookworm\npatroni: {ttl: 10, loop_wait: 2, retry_timeout: 4}\n" + NODES;

        TopologyLoader.Loaded asWritten = TopologyLoader.parseWithWarnings(yaml, "old.yaml");
        TopologyLoader.Loaded sameStack = StackOverride.with("bookworm", () -> TopologyLoader.parseWithWarnings(yaml, "old.yaml"));
        TopologyLoader.Loaded overridden = StackOverride.with("trixie", () -> TopologyLoader.parseWithWarnings(yaml, "old.yaml"));

        assertThat(asWritten.topology().images().stack().name()).isEqualTo("bookworm");
        assertThat(asWritten.topology().patroni().ttl()).isEqualTo(10);
        assertThat(asWritten.warnings()).isEmpty();
        assertThat(sameStack.topology()).isEqualTo(asWritten.topology());
        assertThat(overridden.topology().images().stack().name()).isEqualTo("trixie");
        assertThat(overridden.topology().images().baseImage()).isEqualTo("debian:trixie-slim");
        assertThat(overridden.topology().patroni().ttl()).isEqualTo(20);
        assertThat(overridden.warnings()).singleElement().extracting(Problem::format).asString()
                .startsWith("old.yaml:3:16: warning: patroni.ttl: Patroni 4.0.7 (stack trixie) raises ttl 10 to its minimum 20");
    }

    @Test
    void anUnknownStackInThePropertyIsAnErrorThatNamesThePropertyAndTheKnownStacks() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> StackOverride.with("sid", () -> TopologyLoader.parse("name: x\n" + NODES, "x.yaml")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("-Dpgcert.stack=sid: stack: unknown stack 'sid' (known stacks: "
                + "trixie = PostgreSQL 17 + Patroni 4.0.7, bookworm = PostgreSQL 15 + Patroni 3.0.2)");
    }

    @Test
    void anUnknownStackInTheFileIsReportedAtItsLineEvenWhenThePropertyOverridesIt() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> StackOverride.with("trixie", () -> TopologyLoader.parse("name: x\nstack: wheezy\n" + NODES, "x.yaml")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("x.yaml:2:8: stack: unknown stack 'wheezy' (known stacks: trixie");
    }

    @Test
    void quorumCommitIsAcceptedFromPatroni4AndRenderedAsQuorum() {
        Topology t = TopologyLoader.parse("name: q\nstack: trixie\npatroni: {synchronous_mode: quorum, "
                + "synchronous_node_count: 2}\n" + NODES, "q.yaml");

        assertThat(t.patroni().quorumCommit()).isTrue();
        assertThat(t.patroni().synchronousMode()).isTrue();
        assertThat(t.patroni().synchronousModeValue()).isEqualTo("quorum");
    }

    @Test
    void quorumCommitIsRefusedOnPatroni302WhichWouldRunAsynchronously() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> TopologyLoader.parse(
                "name: q\nstack: bookworm\npatroni: {synchronous_mode: quorum}\n" + NODES, "q.yaml"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("q.yaml:3:29: patroni.synchronous_mode: quorum commit needs Patroni 4.0")
                .contains("would run the cluster asynchronously");
    }

    @Test
    void theQuorumHealthChecksExistFromPatroni4() {
        String router = "router: {read_only: {check: /read-only-quorum}}\n";
        Topology t = TopologyLoader.parse("name: q\nstack: trixie\n" + router + NODES, "q.yaml");
        assertThat(t.router().readOnly().patroniEndpoint()).contains("/read-only-quorum");

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> TopologyLoader.parse("name: q\nstack: bookworm\n" + router + NODES, "q.yaml"));
        assertThat(e.getMessage()).isEqualTo("q.yaml:3:29: router.read_only.check: /read-only-quorum exists from "
                + "Patroni 4.0 (quorum commit); Patroni 3.0.2 (stack bookworm) treats it as /read-only");
    }

    @Test
    void patroni4RaisesEveryTimeoutBelowItsMinimumAndThenAppliesTheTimingRule() {
        // ttl 10 -> 20, retry_timeout 2 -> 3; then 12 + 2*3 = 18 <= 20 holds: warnings only.
        TopologyLoader.Loaded loaded = TopologyLoader.parseWithWarnings(
                "name: t\nstack: trixie\npatroni: {ttl: 10, loop_wait: 12, retry_timeout: 2}\n" + NODES, "t.yaml");

        assertThat(loaded.topology().patroni().ttl()).isEqualTo(20);
        assertThat(loaded.topology().patroni().retryTimeout()).isEqualTo(3);
        assertThat(loaded.topology().patroni().loopWait()).isEqualTo(12);
        assertThat(loaded.warnings()).extracting(Problem::path).containsExactly("patroni.ttl", "patroni.retry_timeout");

        // The same values on Patroni 3.0.2 run as written, and break the rule: 12 + 2*2 > 10.
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> TopologyLoader.parse(
                "name: t\nstack: bookworm\npatroni: {ttl: 10, loop_wait: 12, retry_timeout: 2}\n" + NODES, "t.yaml"));
        assertThat(e.getMessage()).contains("12 + 2*2 = 16 > 10; Patroni 3.0.2 (stack bookworm) does not check it");
    }
}
