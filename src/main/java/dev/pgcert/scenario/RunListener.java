package dev.pgcert.scenario;

import dev.pgcert.load.LoadProgress;

/**
 * What a scenario run tells the outside while it goes: each phase as a step (the JUnit side turns
 * them into Allure steps), and progress lines for the console during long phases.
 */
public interface RunListener {

    /** Runs one phase; an implementation may wrap it (time it, report it). */
    default void phase(String name, ThrowingRunnable body) throws Exception {
        body.run();
    }

    default void progress(String phase, LoadProgress load, String leader) {}

    RunListener NONE = new RunListener() {};

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
