package dev.pgcert.scenario;

import dev.pgcert.check.CheckResult;
import dev.pgcert.check.Verdict;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;
import dev.pgcert.topology.ProjectLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workloads and role metrics of issue 14 on a real three-node cluster, in one short scenario
 * ({@code workloads-live.yaml}): a planned switchover under list-append transactions, writes aimed at
 * node1 past the router, and a COPY bulk load. One run, several assertions on its history and metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadsIT {
    private final ClusterPool clusters = new ClusterPool();
    private ScenarioResult result;
    private History history;

    @BeforeAll
    void runOnce() throws Exception {
        Path file = Path.of(WorkloadsIT.class.getResource("workloads-live.yaml").toURI());
        Scenario scenario = ScenarioLoader.load(file, ProjectLayout.topologies());
        Path runs = Files.createDirectories(Path.of("target", "pgcert-runs"));
        result = new ScenarioRunner(clusters, new RunListener() {}, runs).run(scenario);
        history = History.read(result.evidence().history());
    }

    @AfterAll
    void stop() {
        clusters.close();
    }

    private CheckResult check(String name) {
        return result.checks().results().stream().filter(r -> r.checker().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theListAppendCheckerJudgedCommittedTransactions() {
        CheckResult r = check("list_append");
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.VALID);
        assertThat(((Number) r.metrics().get("ok")).longValue()).isGreaterThan(100);
        assertThat(r.metrics()).containsEntry("isolation", "serializable").containsEntry("lost_appends", 0)
                .containsEntry("forbidden_found", List.of());
        // the final read carried the lists the transactions appended to
        Event finalRead = history.last(Event.Fn.FINAL_READ).orElseThrow();
        assertThat(Values.map(finalRead.value().get("lists"))).isNotEmpty();
    }

    @Test
    void theRoleMetricsSawTheSwitchover() {
        Map<String, Object> m = result.metrics();
        assertThat(m).containsEntry("leader.changed", "true").containsEntry("timeline.changed", "true");
        assertThat(((Number) m.get("timeline.increments")).longValue()).isEqualTo(1);
        assertThat(m.get("leader.after")).isNotEqualTo(m.get("leader.before"));
        assertThat(m).containsKey("leader.old_primary_writes_for").containsKey("roles.sync_standby_after")
                .containsKey("roles.slots_after");
        assertThat(result.expectations()).allSatisfy(e -> assertThat(e.passed()).as(e.describe()).isTrue());
    }

    @Test
    void writesAimedAtNode1WentPastTheRouterAndFailedOnceItWasAReplica() {
        List<Op> writes = history.ops(Event.Fn.WRITE);
        assertThat(writes).isNotEmpty().allSatisfy(w -> assertThat(w.get("target")).isEqualTo("node1"));
        assertThat(writes.stream().filter(Op::isOk)).allSatisfy(w -> assertThat(w.get("node")).isEqualTo("node1"));
        assertThat(writes.stream().filter(w -> w.isFail() && "25006".equals(w.get("sqlstate"))))
                .as("writes refused by node1 as a read-only replica after the switchover").isNotEmpty();
    }

    @Test
    void theBulkLoadCopiedEveryBatchAndTheLedgerHasThem() {
        List<Op> batches = history.ops(Event.Fn.BULK).stream().filter(b -> Values.longValue(b.value(), "rows") > 0).toList();
        assertThat(batches).hasSize(4);
        CheckResult loss = check("data_loss");
        assertThat(loss.verdict()).as(loss.explanation()).isEqualTo(Verdict.VALID);
        long okRows = batches.stream().filter(Op::isOk).mapToLong(b -> Values.longValue(b.value(), "rows")).sum();
        assertThat(((Number) loss.metrics().get("acknowledged")).longValue()).isGreaterThanOrEqualTo(okRows);
        assertThat(okRows).isGreaterThan(0);
    }
}
