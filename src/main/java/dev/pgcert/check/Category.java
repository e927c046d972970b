package dev.pgcert.check;

/**
 * What kind of failure an expectation result is, for the report (Allure categories match on
 * {@link #label()}): the label strings are a contract with the report.
 */
public enum Category {
    DATA_LOSS("data loss"),
    SLOW_FAILOVER("slow failover"),
    SPLIT_BRAIN("split brain"),
    REPLICA_LAG("replica lag"),
    READ_OFFLOAD("read offload"),
    INVARIANT("invariant"),
    HARNESS_ERROR("harness or infrastructure error");

    private final String label;

    Category(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The category of a checker's metrics; unknown checkers count as invariants. */
    public static Category ofChecker(String checker) {
        return switch (checker) {
            case DataLossChecker.NAME -> DATA_LOSS;
            case FailoverTimeChecker.NAME -> SLOW_FAILOVER;
            case SplitBrainChecker.NAME -> SPLIT_BRAIN;
            case ReplicaLagChecker.NAME -> REPLICA_LAG;
            case ReadOffloadChecker.NAME -> READ_OFFLOAD;
            default -> INVARIANT;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
