package dev.pgcert.report;

import dev.pgcert.check.CheckResult;
import dev.pgcert.check.FailoverStage;
import dev.pgcert.check.Format;

import java.util.Locale;
import java.util.Map;

/**
 * The failover's stage breakdown as a Markdown table, from the stage checker's metrics: per stage its
 * time from the fault's injection, the time since the stage before, the predicted window and whether
 * it fell inside. A stage that was not observed says "unknown", never 0.
 */
public final class StageTable {
    private StageTable() {}

    public static String markdown(CheckResult stages) {
        Map<String, Object> m = stages.metrics();
        Map<?, ?> at = m.get("stages") instanceof Map<?, ?> s ? s : Map.of();
        Map<?, ?> predicted = m.get("predicted") instanceof Map<?, ?> p ? p : Map.of();
        StringBuilder t = new StringBuilder("| stage | from the fault | since the stage before | predicted | |\n|---|---|---|---|---|\n");
        Double previous = 0.0;
        for (FailoverStage stage : FailoverStage.values()) {
            Object v = at.get(stage.metric());
            Map<?, ?> w = predicted.get(stage.metric()) instanceof Map<?, ?> x ? x : null;
            String window = w == null ? "" : "[" + Format.seconds(num(w.get("earliest"))) + ", " + Format.seconds(num(w.get("latest"))) + "]";
            String verdict = "";
            if (v instanceof Number n && w != null) {
                verdict = n.doubleValue() >= num(w.get("earliest")) - 1e-9 && n.doubleValue() <= num(w.get("latest")) + 1e-9 ? "inside" : "OUTSIDE";
            }
            String time = v instanceof Number n ? Format.seconds(n.doubleValue()) : "unknown";
            String delta = v instanceof Number n && previous != null
                    ? (n.doubleValue() >= previous ? "+" : "-") + Format.seconds(Math.abs(n.doubleValue() - previous)) : "";
            t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", stage.label(), time, delta, window, verdict));
            if (v instanceof Number n) {
                previous = n.doubleValue();
            }
        }
        if (m.get("probe") instanceof Number p) {
            t.append("\nfailover_time.probe = ").append(Format.seconds(p.doubleValue()));
        }
        if (m.get("client_minus_probe") instanceof Number d) {
            t.append("; the pooled client wrote ").append(Format.seconds(d.doubleValue())).append(" after the probe: ")
                    .append(m.getOrDefault("client_minus_probe_cause", ""));
        }
        return t.toString().trim() + "\n";
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
