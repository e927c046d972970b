package dev.pgcert.report;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYBoxAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a run's history as one PNG: stacked panels on a shared time axis (seconds since the run
 * started) for the scenario (phases and fault windows), throughput, latency, errors and replica lag.
 * Fault windows are shaded and leader changes drawn as vertical lines on every panel, so a dip in
 * one panel can be read against the fault that caused it.
 */
public final class TimelinePlot {

    public static final int DEFAULT_WIDTH = 1600;
    public static final int DEFAULT_HEIGHT = 1300;

    private static final Color WRITES = new Color(0x1f77b4);
    private static final Color READS = new Color(0x2ca02c);
    private static final Color FAILED = new Color(0xd62728);
    private static final Color UNKNOWN = new Color(0xff9f1c);
    private static final Color FAULT_SHADE = new Color(214, 39, 40, 38);
    private static final Color FAULT_BOX = new Color(214, 39, 40, 150);
    private static final Color LEADER = new Color(0x3b1f8c);
    private static final Color PHASE_EDGE = new Color(120, 120, 120);
    private static final Color[] PHASE_FILLS = {new Color(0xdfe7f2), new Color(0xc9d6ea)};
    private static final Color[] REPLICA_COLORS = {
            new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final Stroke LEADER_STROKE = new BasicStroke(
            1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);
    private static final Stroke PHASE_STROKE = new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 3f}, 0f);
    private static final Font PANEL_TITLE = new Font("SansSerif", Font.BOLD, 13);
    private static final Font SMALL = new Font("SansSerif", Font.PLAIN, 11);
    private static final Font SMALL_BOLD = new Font("SansSerif", Font.BOLD, 11);

    private final String title;
    private final int width;
    private final int height;
    private final Duration bucket;

    private TimelinePlot(String title, int width, int height, Duration bucket) {
        this.title = title;
        this.width = width;
        this.height = height;
        this.bucket = bucket;
    }

    /** A plot of {@link #DEFAULT_WIDTH} x {@link #DEFAULT_HEIGHT} px with the bucket width chosen from the run's length. */
    public static TimelinePlot titled(String title) {
        return new TimelinePlot(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, null);
    }

    public TimelinePlot size(int width, int height) {
        return new TimelinePlot(title, width, height, bucket);
    }

    /** Fixed bucket width for throughput, latency and errors (default: 250 ms up to 2 min of run, else 1 s). */
    public TimelinePlot bucket(Duration bucket) {
        return new TimelinePlot(title, width, height, bucket);
    }

    /** Writes the PNG to {@code png}, creating parent directories. */
    public Path render(History history, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(png)) {
            render(history, out);
        }
        return png;
    }

    public void render(History history, OutputStream png) throws IOException {
        ensureHeadless();
        JFreeChart chart = chart(TimelineData.of(history, bucket));
        StageMarks.add(chart, history); // green lines: the failover stages
        ChartUtils.writeChartAsPNG(png, chart, width, height);
    }

    /** The chart itself, for callers that want another format or size. */
    public JFreeChart chart(TimelineData data) {
        NumberAxis time = new NumberAxis("seconds since run start");
        time.setRange(0, Math.max(1, data.durationSeconds()));
        time.setLabelFont(PANEL_TITLE);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.setGap(8);
        combined.add(scenarioPanel(data), 2);
        combined.add(withEvents(throughputPanel(data), data, true), 4);
        combined.add(withEvents(latencyPanel(data), data, false), 4);
        combined.add(withEvents(errorsPanel(data), data, false), 3);
        combined.add(withEvents(lagPanel(data), data, false), 3);

        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 18), combined, false);
        chart.addSubtitle(new TextTitle(subtitle(data), SMALL));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 16));
        return chart;
    }

    private String subtitle(TimelineData data) {
        return String.format("%d operations%s over %.1f s, buckets of %s  ·  red shading: fault windows"
                        + "  ·  dashed violet lines: leader changes",
                data.operations(),
                data.unfinishedOperations() > 0 ? " (+" + data.unfinishedOperations() + " never completed)" : "",
                data.durationSeconds(), bucketLabel(data));
    }

    private static String bucketLabel(TimelineData data) {
        double s = data.bucketSeconds();
        return s < 1 ? Math.round(s * 1000) + " ms" : new DecimalFormat("0.##").format(s) + " s";
    }

    // Scenario strip: phases on one lane, fault windows on lanes below, each box labelled.

    private XYPlot scenarioPanel(TimelineData data) {
        List<List<TimelineData.Window>> faultLanes = lanes(data.faults());
        int laneCount = 1 + Math.max(1, faultLanes.size());
        String[] laneNames = new String[laneCount];
        for (int i = 0; i < laneCount - 1; i++) laneNames[i] = faultLanes.size() > 1 ? "fault " + (laneCount - 1 - i) : "faults";
        laneNames[laneCount - 1] = "phases";
        SymbolAxis lanesAxis = new SymbolAxis(null, laneNames);
        lanesAxis.setGridBandsVisible(false);
        lanesAxis.setTickLabelFont(SMALL_BOLD);
        lanesAxis.setRange(-0.5, laneCount - 0.5);

        XYPlot plot = basePlot(new XYSeriesCollection(), lanesAxis, new XYLineAndShapeRenderer(false, false));
        plot.setRangeGridlinesVisible(false);
        int p = 0;
        for (TimelineData.Window phase : data.phases()) {
            box(plot, phase, laneCount - 1, PHASE_FILLS[p++ % 2], PHASE_EDGE, Color.BLACK);
        }
        for (int lane = 0; lane < faultLanes.size(); lane++) {
            for (TimelineData.Window fault : faultLanes.get(lane)) {
                box(plot, fault, laneCount - 2 - lane, FAULT_BOX, FAULT_BOX.darker(), Color.WHITE);
            }
        }
        for (TimelineData.LeaderChange change : data.leaderChanges()) {
            plot.addDomainMarker(leaderLine(change, false), Layer.FOREGROUND);
        }
        if (data.phases().isEmpty() && data.faults().isEmpty()) {
            note(plot, "no phase or fault events in this history");
        }
        panelTitle(plot, "Scenario: phases and fault windows");
        return plot;
    }

    private static void box(XYPlot plot, TimelineData.Window w, int lane, Paint fill, Paint edge, Paint text) {
        plot.addAnnotation(new XYBoxAnnotation(w.startS(), lane - 0.38, w.endS(), lane + 0.38,
                new BasicStroke(1f), edge, fill));
        String label = w.label() + (w.open() ? " (no end recorded)" : "")
                + String.format("  %.1f s", w.endS() - w.startS());
        XYTextAnnotation t = new XYTextAnnotation(label, w.startS() + 0.15, lane);
        t.setFont(SMALL_BOLD);
        t.setPaint(text);
        t.setTextAnchor(TextAnchor.CENTER_LEFT);
        plot.addAnnotation(t);
    }

    /** Greedy lane assignment so overlapping fault windows do not hide each other. */
    private static List<List<TimelineData.Window>> lanes(List<TimelineData.Window> windows) {
        List<List<TimelineData.Window>> lanes = new ArrayList<>();
        for (TimelineData.Window w : windows) {
            List<TimelineData.Window> free = null;
            for (List<TimelineData.Window> lane : lanes) {
                if (lane.get(lane.size() - 1).endS() <= w.startS()) {
                    free = lane;
                    break;
                }
            }
            if (free == null) lanes.add(free = new ArrayList<>());
            free.add(w);
        }
        return lanes;
    }

    // Data panels.

    private XYPlot throughputPanel(TimelineData data) {
        XYSeries writes = new XYSeries("OK writes/s");
        XYSeries reads = new XYSeries("OK reads/s");
        for (int i = 0; i < data.buckets(); i++) {
            double x = center(data, i);
            writes.add(x, data.okWritesPerSecond(i));
            reads.add(x, data.okReadsPerSecond(i));
        }
        NumberAxis axis = new NumberAxis("operations / s");
        axis.setAutoRangeIncludesZero(true);
        XYPlot plot = basePlot(collection(writes, reads), axis, lines(WRITES, READS));
        panelTitle(plot, "Throughput: successful operations per second");
        legend(plot);
        return plot;
    }

    private XYPlot latencyPanel(TimelineData data) {
        XYSeries wp99 = new XYSeries("write p99");
        XYSeries wp50 = new XYSeries("write p50");
        XYSeries rp99 = new XYSeries("read p99");
        XYSeries rp50 = new XYSeries("read p50");
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < data.buckets(); i++) {
            double x = center(data, i);
            double[] v = {data.writeP99Millis(i), data.writeP50Millis(i), data.readP99Millis(i), data.readP50Millis(i)};
            XYSeries[] s = {wp99, wp50, rp99, rp50};
            for (int k = 0; k < v.length; k++) {
                s[k].add(x, Double.isNaN(v[k]) ? null : Math.max(v[k], 0.01)); // null: no line through an empty bucket
                if (!Double.isNaN(v[k])) {
                    min = Math.min(min, Math.max(v[k], 0.01));
                    max = Math.max(max, v[k]);
                }
            }
        }
        if (max == 0) {
            min = 0.1;
            max = 1000;
        }
        // Base 2 with whole-power ticks reads as 1, 2, 4, 8 ... ms, never as 63.096.
        LogAxis axis = new LogAxis("latency (ms, log scale)");
        axis.setBase(2);
        axis.setSmallestValue(0.01);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
        double doublings = Math.log(max * 1.5 / (min / 1.5)) / Math.log(2);
        axis.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(doublings / 8))));
        axis.setMinorTickMarksVisible(false);
        axis.setRange(min / 1.5, max * 1.5);
        XYLineAndShapeRenderer r = lines(WRITES, WRITES.brighter(), READS, READS.brighter());
        Stroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4f, 3f}, 0f);
        r.setSeriesStroke(1, dashed);
        r.setSeriesStroke(3, dashed);
        XYPlot plot = basePlot(collection(wp99, wp50, rp99, rp50), axis, r);
        panelTitle(plot, "Latency of successful operations, per bucket (p50 dashed, p99 solid)");
        legend(plot);
        if (max == 0) note(plot, "no timed successful operations");
        return plot;
    }

    private XYPlot errorsPanel(TimelineData data) {
        XYSeries failed = new XYSeries("FAIL (did not happen)", false, false);
        XYSeries unknown = new XYSeries("INFO (outcome unknown)", false, false);
        int total = 0;
        for (int i = 0; i < data.buckets(); i++) {
            double x = center(data, i);
            failed.add(x, data.failed(i));
            unknown.add(x, data.unknownOutcome(i));
            total += data.failed(i) + data.unknownOutcome(i);
        }
        DefaultTableXYDataset dataset = new DefaultTableXYDataset();
        dataset.addSeries(failed);
        dataset.addSeries(unknown);
        dataset.setIntervalWidth(data.bucketSeconds());
        StackedXYBarRenderer r = new StackedXYBarRenderer(0.1);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setSeriesPaint(0, FAILED);
        r.setSeriesPaint(1, UNKNOWN);
        NumberAxis axis = new NumberAxis("errors per " + bucketLabel(data));
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (total == 0) axis.setRange(0, 1);
        XYPlot plot = basePlot(dataset, axis, r);
        panelTitle(plot, "Errors: failed and unknown-outcome operations per bucket");
        legend(plot);
        if (total == 0) note(plot, "no errors");
        return plot;
    }

    private XYPlot lagPanel(TimelineData data) {
        double max = 0;
        for (List<TimelineData.Sample> samples : data.lagBytesByReplica().values()) {
            for (TimelineData.Sample s : samples) max = Math.max(max, s.value());
        }
        // One unit for the whole axis, so ticks read "2, 4, 6 MiB" instead of odd byte counts.
        String[] units = {"bytes", "KiB", "MiB", "GiB"};
        int unit = 0;
        double divisor = 1;
        while (unit < units.length - 1 && max / divisor >= 1024 * 4) {
            divisor *= 1024;
            unit++;
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Map.Entry<String, List<TimelineData.Sample>> replica : data.lagBytesByReplica().entrySet()) {
            XYSeries s = new XYSeries(replica.getKey());
            double gap = gapThreshold(replica.getValue());
            TimelineData.Sample previous = null;
            for (TimelineData.Sample sample : replica.getValue()) {
                if (previous != null && sample.atS() - previous.atS() > gap) {
                    s.add((previous.atS() + sample.atS()) / 2, null); // no samples here: break the line
                }
                s.add(sample.atS(), sample.value() / divisor);
                previous = sample;
            }
            dataset.addSeries(s);
        }
        NumberAxis axis = new NumberAxis("replica lag (" + units[unit] + ")");
        axis.setAutoRangeIncludesZero(true);
        if (max == 0) axis.setRange(0, 1);
        XYLineAndShapeRenderer r = lines(REPLICA_COLORS);
        XYPlot plot = basePlot(dataset, axis, r);
        panelTitle(plot, "Replica lag behind the primary, per replica");
        if (dataset.getSeriesCount() > 0) legend(plot);
        if (data.lagBytesByReplica().isEmpty()) note(plot, "no lag samples");
        return plot;
    }

    /** Samples further apart than 2.5 typical intervals are a gap (no primary to ask, replica gone). */
    private static double gapThreshold(List<TimelineData.Sample> samples) {
        if (samples.size() < 3) return Double.MAX_VALUE;
        double[] intervals = new double[samples.size() - 1];
        for (int i = 1; i < samples.size(); i++) intervals[i - 1] = samples.get(i).atS() - samples.get(i - 1).atS();
        java.util.Arrays.sort(intervals);
        return 2.5 * intervals[intervals.length / 2];
    }

    // Shared decoration.

    /** Shading of fault windows, phase edges and leader-change lines, drawn on every data panel. */
    private static XYPlot withEvents(XYPlot plot, TimelineData data, boolean labelLeaders) {
        for (TimelineData.Window fault : data.faults()) {
            IntervalMarker m = new IntervalMarker(fault.startS(), fault.endS(), FAULT_SHADE);
            m.setOutlinePaint(null);
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }
        for (TimelineData.Window phase : data.phases()) {
            if (phase.startS() <= 0) continue;
            ValueMarker edge = new ValueMarker(phase.startS(), PHASE_EDGE, PHASE_STROKE);
            plot.addDomainMarker(edge, Layer.BACKGROUND);
        }
        for (TimelineData.LeaderChange change : data.leaderChanges()) {
            plot.addDomainMarker(leaderLine(change, labelLeaders), Layer.FOREGROUND);
        }
        return plot;
    }

    private static ValueMarker leaderLine(TimelineData.LeaderChange change, boolean labelled) {
        ValueMarker line = new ValueMarker(change.atS(), LEADER, LEADER_STROKE);
        if (labelled) {
            line.setLabel("leader → " + change.leader());
            line.setLabelFont(SMALL_BOLD);
            line.setLabelPaint(LEADER);
            line.setLabelBackgroundColor(new Color(255, 255, 255, 200));
            line.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            line.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            line.setLabelOffset(new RectangleInsets(2, 4, 4, 2));
        }
        return line;
    }

    private static XYPlot basePlot(XYDataset dataset, ValueAxis rangeAxis, XYItemRenderer renderer) {
        rangeAxis.setLabelFont(SMALL_BOLD);
        rangeAxis.setTickLabelFont(SMALL);
        XYPlot plot = new XYPlot(dataset, null, rangeAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(225, 225, 225));
        plot.setRangeGridlinePaint(new Color(225, 225, 225));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(new Color(160, 160, 160));
        return plot;
    }

    private static XYLineAndShapeRenderer lines(Color... colors) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
            r.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        return r;
    }

    private static XYSeriesCollection collection(XYSeries... series) {
        XYSeriesCollection c = new XYSeriesCollection();
        for (XYSeries s : series) c.addSeries(s);
        return c;
    }

    private static void panelTitle(XYPlot plot, String text) {
        TextTitle t = new TextTitle(text, PANEL_TITLE);
        t.setBackgroundPaint(new Color(255, 255, 255, 210));
        t.setPadding(2, 4, 2, 4);
        plot.addAnnotation(new XYTitleAnnotation(0.005, 0.985, t, RectangleAnchor.TOP_LEFT));
    }

    private static void legend(XYPlot plot) {
        LegendTitle legend = new LegendTitle(plot);
        legend.setItemFont(SMALL);
        legend.setBackgroundPaint(new Color(255, 255, 255, 220));
        legend.setFrame(new BlockBorder(new Color(190, 190, 190)));
        legend.setPosition(RectangleEdge.TOP);
        plot.addAnnotation(new XYTitleAnnotation(0.995, 0.985, legend, RectangleAnchor.TOP_RIGHT));
    }

    private static void note(XYPlot plot, String text) {
        TextTitle t = new TextTitle(text, SMALL);
        t.setPaint(Color.GRAY);
        plot.addAnnotation(new XYTitleAnnotation(0.5, 0.5, t, RectangleAnchor.CENTER));
    }

    private static double center(TimelineData data, int bucket) {
        return data.bucketStart(bucket) + data.bucketSeconds() / 2;
    }

    /** Charts render off-screen; without this a machine with no display fails in AWT. */
    private static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
