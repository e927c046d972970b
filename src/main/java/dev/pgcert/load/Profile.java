package dev.pgcert.load;

/**
 * How a workload's operations arrive.
 *
 * <ul>
 *   <li>{@link ConstantRate}: open model, a steady number of operations per second (one Gatling user
 *       per operation), whatever the database's latency.
 *   <li>{@link RampRate}: open model, the rate moves linearly from {@code from} to {@code to} over
 *       the workload's duration.
 *   <li>{@link ClosedUsers}: closed model, {@code users} clients that each run one operation after
 *       another until the duration is over (what pgbench does with {@code -c}).
 * </ul>
 */
public sealed interface Profile {

    static Profile rate(double perSecond) {
        return new ConstantRate(perSecond);
    }

    static Profile ramp(double fromPerSecond, double toPerSecond) {
        return new RampRate(fromPerSecond, toPerSecond);
    }

    static Profile users(int users) {
        return new ClosedUsers(users);
    }

    record ConstantRate(double perSecond) implements Profile {
        public ConstantRate {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("rate must be > 0 ops/s, got " + perSecond);
            }
        }
    }

    record RampRate(double from, double to) implements Profile {
        public RampRate {
            if (from < 0 || to < 0 || (from == 0 && to == 0)) {
                throw new IllegalArgumentException("ramp rates must be >= 0 and not both 0, got " + from + " -> " + to);
            }
        }
    }

    record ClosedUsers(int users) implements Profile {
        public ClosedUsers {
            if (users < 1) {
                throw new IllegalArgumentException("users must be >= 1, got " + users);
            }
        }
    }
}
