package dev.pgcert.check;

import dev.pgcert.history.History;
import dev.pgcert.load.LoadSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs checkers so that a broken checker can never pass a run. */
public final class Checkers {
    private Checkers() {}

    /**
     * Runs each checker on the history. A checker that throws, or returns nothing, yields UNKNOWN
     * with the failure in its explanation; the others still run.
     */
    public static CheckResults runAll(History history, List<? extends Checker> checkers) {
        List<CheckResult> results = new ArrayList<>();
        for (Checker checker : checkers) {
            results.add(runOne(history, checker));
        }
        return new CheckResults(results);
    }

    static CheckResult runOne(History history, Checker checker) {
        String name = nameOf(checker);
        try {
            CheckResult r = checker.check(history);
            if (r == null) {
                return CheckResult.unknown(name, "checker " + name + " returned no result");
            }
            return r;
        } catch (RuntimeException | StackOverflowError e) {
            return new CheckResult(name, Verdict.UNKNOWN, Map.of(),
                    "checker " + name + " failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static String nameOf(Checker checker) {
        try {
            String name = checker.name();
            return name == null ? checker.getClass().getSimpleName() : name;
        } catch (RuntimeException e) {
            return checker.getClass().getSimpleName();
        }
    }

    /**
     * The registry: one of every checker, with default settings (checkers are stateless values). The
     * one place a new checker is registered; the metric catalogue, categories and the runner's choice
     * derive from it.
     */
    private static final List<Checker> ALL = List.of(new FailoverTimeChecker(), new FailoverStagesChecker(), new DataLossChecker(), new ReplicaLagChecker(),
            new ReadOffloadChecker(), new SplitBrainChecker(), new BankChecker(), new StandbyClusterChecker(), new BackupChecker(),
            new ListAppendChecker(), new LeaderChecker(), new TimelineChecker(), new RolesChecker());

    public static List<Checker> all() {
        return ALL;
    }

    /** The checkers that have something to judge under this load ({@link Checker#appliesTo}). */
    public static List<Checker> applicableTo(LoadSpec load) {
        return ALL.stream().filter(c -> c.appliesTo(load)).toList();
    }

    /** The category of a checker's metrics; an unknown checker's count as invariants. */
    public static Category categoryOf(String checker) {
        return byName(checker).map(Checker::category).orElse(Category.INVARIANT);
    }

    /** The checker with this name (default settings), as scenarios name them. */
    public static Optional<Checker> byName(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The names of {@link #all()}. */
    public static List<String> names() {
        return all().stream().map(Checker::name).distinct().toList();
    }
}
