package dev.pgcert.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sample of what a scenario puts into the Allure report, without Docker: steps, the timeline PNG,
 * a JSON and a text attachment, expectations as steps, the environment panel. `mvn verify` turns
 * it into reports/allure-report.
 */
class ReportSmokeIT {

    @TempDir
    Path dir;

    @Test
    void aFailoverRunReportsStepsAttachmentsAndExpectations() throws Exception {
        AllureEnvironment.create().postgresql("15 (sample)").patroni("3.0.2 (sample)").pgbouncer("1.18 (sample)")
                .haproxy("2.6 (sample)").etcd("3.4.23 (sample)").topology("3 nodes, async (sample)").host().write();

        var history = AllureReport.step("run the load with a primary kill (synthetic history)", SyntheticHistory::failoverRun);
        Path png = AllureReport.step("plot the timeline", () ->
                TimelinePlot.titled("sample: kill the primary").render(history, dir.resolve("plot/timeline.png")));
        AllureReport.attachPng("timeline", png);
        AllureReport.attachJsonOf("summary", Map.of("operations", history.size(), "failover_s", 11.2));
        Files.writeString(dir.resolve("index.html"), "<html><body>load report</body></html>");
        AllureReport.attachHtmlZip("load report (zip)", dir);
        AllureReport.attachText("progress", "[  20.0 s] fault | writes 0/s reads 1,604/s | fail 12 (12) unknown 1 (1) | leader pg-1");

        AllureReport.verdict(List.of(
                Expectation.below("failover_time.client", 11.2, 30, "s", FailureCategory.SLOW_FAILOVER),
                Expectation.equal("lost_writes", 0, 0, "writes", FailureCategory.DATA_LOSS)));
        assertThat(Files.size(png)).isGreaterThan(50_000);
    }
}
