package dev.pgcert.yaml;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys and values: the closest candidate by edit distance, if close enough. */
public final class Suggestions {

    private Suggestions() {}

    /** The candidate closest to {@code input}, when it is near enough to be a likely typo. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        String typed = input.toLowerCase(Locale.ROOT);
        int allowed = allowedDistance(typed);
        return candidates.stream()
                .filter(c -> distance(typed, c.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt((String c) -> distance(typed, c.toLowerCase(Locale.ROOT))));
    }

    /** {@code "; did you mean 'x'?"}, or an empty string when nothing is close. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    // Short words get 1 edit, longer ones up to 3: "tll" -> "ttl", "synchronous_mod" -> "synchronous_mode",
    // but "pool" does not suggest "fall".
    private static int allowedDistance(String typed) {
        return Math.max(1, Math.min(3, (typed.length() + 2) / 4));
    }

    /**
     * Optimal string alignment distance: Levenshtein plus the transposition of two adjacent
     * characters as one edit, the commonest typo.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
