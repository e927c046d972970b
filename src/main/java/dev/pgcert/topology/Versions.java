package dev.pgcert.topology;

/** Dotted version numbers (3.0.2, 1.24.1) compared part by part; a missing part counts as 0. */
final class Versions {
    private Versions() {}

    static boolean atLeast(String actual, String minimum) {
        return compare(actual, minimum) >= 0;
    }

    static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        String digits = parts[i].replaceAll("[^0-9].*", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
}
