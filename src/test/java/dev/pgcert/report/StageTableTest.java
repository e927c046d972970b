package dev.pgcert.report;

import dev.pgcert.check.CheckResult;
import dev.pgcert.check.FailoverStagesChecker;
import dev.pgcert.check.FailoverStagesCheckerTest;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StageTableTest {

    @Test
    void aRowPerStageWithItsWindowAndUnknownForAMissingOne() {
        History h = FailoverStagesCheckerTest.kill(20.1, List.of(Event.Fn.POOLER_SERVERS)).build();
        CheckResult r = new FailoverStagesChecker().check(h);

        String table = StageTable.markdown(r);

        assertThat(table).contains("| router marked it up | 9.6 s | +500 ms | [8 s, 15.6 s] | inside |")
                .contains("| pooler connected to it | unknown |")
                .contains("failover_time.probe = 9.75 s")
                .contains("socketTimeout 3 s");
    }

    @Test
    void theHtmlTableHasTheSameRowsForTheReportStep() {
        History h = FailoverStagesCheckerTest.kill(20.1, List.of(Event.Fn.POOLER_SERVERS)).build();
        String html = StageTable.html(new FailoverStagesChecker().check(h));

        assertThat(html).contains("<th>stage</th>")
                .contains("<td class=\"router marked it up\">router marked it up</td><td class=\"9.6 s\">9.6 s</td>")
                .contains("<td class=\"unknown\">unknown</td>")
                .contains("failover_time.probe = 9.75 s");
    }

    @Test
    void theTimelineMarksTheStages() throws Exception {
        History h = FailoverStagesCheckerTest.kill(20.1, List.of()).build();
        ByteArrayOutputStream png = new ByteArrayOutputStream();

        TimelinePlot.titled("stages").render(h, png);

        assertThat(png.size()).isGreaterThan(1000);
        assertThat(FailoverStagesChecker.stageTimes(h)).hasSize(8);
    }
}
