package dev.pgcert.junit;

import dev.pgcert.load.LoadProgress;
import dev.pgcert.report.AllureReport;
import dev.pgcert.scenario.RunListener;

import java.util.function.Consumer;

/** Each phase an Allure step with its timing; a progress line every few seconds during long phases. */
final class AllureRunListener implements RunListener {
    private final String scenario;
    private final Consumer<String> console;

    AllureRunListener(String scenario, Consumer<String> console) {
        this.scenario = scenario;
        this.console = console;
    }

    @Override
    public void phase(String name, ThrowingRunnable body) {
        console.accept(String.format("[pgcert] %s: phase %s", scenario, name));
        AllureReport.step("phase: " + name, body::run);
    }

    @Override
    public void progress(String phase, LoadProgress load, String leader) {
        console.accept(String.format("[pgcert] %s: phase %-8s ok/s %7.1f  errors/s %6.1f  ok %d  errors %d  leader %s",
                scenario, phase, load.okPerSecond(), load.errorsPerSecond(), load.ok(), load.errors(), leader));
    }
}
