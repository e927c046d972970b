package dev.pgcert.check;

import java.util.Collection;

/** A checker's judgement. Merging keeps the worst: INVALID over UNKNOWN over VALID. */
public enum Verdict {
    VALID, UNKNOWN, INVALID;

    public Verdict merge(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** The worst of these; UNKNOWN when there are none, since nothing checked is not a pass. */
    public static Verdict merge(Collection<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return UNKNOWN;
        }
        return verdicts.stream().reduce(VALID, Verdict::merge);
    }
}
