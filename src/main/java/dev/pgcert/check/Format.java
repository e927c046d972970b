package dev.pgcert.check;

import java.util.Locale;

/** Numbers as explanations and expectation results show them. */
public final class Format {
    private Format() {}

    /** {@code 11.2 s}, {@code 350 ms}, {@code 2.05 s}. */
    public static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "n/a";
        }
        if (Double.isInfinite(s)) {
            return "never (no recovery)";
        }
        if (s != 0 && Math.abs(s) < 1) {
            return trim(String.format(Locale.ROOT, "%.1f", s * 1000)) + " ms";
        }
        if (Math.abs(s) < 10) {
            return trim(String.format(Locale.ROOT, "%.2f", s)) + " s";
        }
        return trim(String.format(Locale.ROOT, "%.1f", s)) + " s";
    }

    /** A time on the run's clock, seconds since its start: {@code 14.03 s}. */
    public static String at(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    /** Bytes with PostgreSQL's 1024-based units: {@code 512 B}, {@code 1.5 MB}. */
    public static String bytes(double b) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = b;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (u == 0 ? String.valueOf(Math.round(v)) : trim(String.format(Locale.ROOT, "%.2f", v))) + " " + units[u];
    }

    /** A fraction as a percentage: {@code 42.5%}. */
    public static String percent(double fraction) {
        return trim(String.format(Locale.ROOT, "%.2f", fraction * 100)) + "%";
    }

    public static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return String.valueOf((long) x);
        }
        return trim(String.format(Locale.ROOT, "%.4f", x));
    }

    private static String trim(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
