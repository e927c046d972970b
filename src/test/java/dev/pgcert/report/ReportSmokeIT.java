package dev.pgcert.report;

import io.qameta.allure.Allure;
import org.junit.jupiter.api.Test;

class ReportSmokeIT {
    @Test
    void producesStepsAndAttachment() {
        Allure.step("first step", () -> {});
        Allure.addAttachment("note", "text/plain", "hello");
    }
}
