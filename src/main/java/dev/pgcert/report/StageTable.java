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

    /** The same table as one HTML page, for the report's step (Allure 2 shows HTML attachments inline). */
    public static String html(CheckResult stages) {
        StringBuilder h = new StringBuilder("<html><head><style>table{border-collapse:collapse;font:13px sans-serif}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td.OUTSIDE{color:#b00;font-weight:bold}"
                + "p{font:13px sans-serif}</style></head><body><table>");
        boolean header = true;
        StringBuilder after = new StringBuilder();
        for (String line : markdown(stages).split("\n")) {
            if (!line.startsWith("|")) {
                after.append(escape(line)).append(' ');
                continue;
            }
            if (line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            h.append("<tr>");
            for (String cell : cells) {
                String c = cell.trim();
                h.append(header ? "<th>" : "<td class=\"" + c + "\">").append(escape(c)).append(header ? "</th>" : "</td>");
            }
            h.append("</tr>");
            header = false;
        }
        return h.append("</table><p>").append(after.toString().trim()).append("</p></body></html>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
