package dev.pgcert.report;

import dev.pgcert.check.FailoverStage;
import dev.pgcert.check.FailoverStagesChecker;
import dev.pgcert.history.History;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;

/**
 * Marks each failover stage of the first fault ({@link FailoverStagesChecker#stageTimes}) as a thin
 * labelled vertical line on the timeline's scenario strip, and unlabelled on the panels below, so a
 * dip in writes lines up with the stage that ended it.
 */
final class StageMarks {
    private static final Color STAGE = new Color(0x117a65);
    private static final Font LABEL = new Font("SansSerif", Font.PLAIN, 10);

    private StageMarks() {}

    static void add(JFreeChart chart, History history) {
        if (history.isEmpty() || !(chart.getPlot() instanceof CombinedDomainXYPlot combined)) {
            return;
        }
        long t0 = history.startNanos();
        Map<FailoverStage, Long> stages = FailoverStagesChecker.stageTimes(history);
        @SuppressWarnings("unchecked")
        List<XYPlot> panels = combined.getSubplots();
        int i = 0;
        for (Map.Entry<FailoverStage, Long> s : stages.entrySet()) {
            double at = (s.getValue() - t0) / 1e9;
            for (int p = 0; p < panels.size(); p++) {
                ValueMarker m = new ValueMarker(at, STAGE, new BasicStroke(1f));
                if (p == 0) {
                    m.setLabel(s.getKey().metric());
                    m.setLabelFont(LABEL);
                    m.setLabelPaint(STAGE);
                    // alternate the label height so stages a few hundred ms apart stay readable
                    m.setLabelAnchor(i % 2 == 0 ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_RIGHT);
                    m.setLabelTextAnchor(i % 2 == 0 ? TextAnchor.TOP_LEFT : TextAnchor.BOTTOM_LEFT);
                }
                panels.get(p).addDomainMarker(m, Layer.FOREGROUND);
            }
            i++;
        }
    }
}
