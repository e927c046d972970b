package dev.pgcert.report;

import dev.pgcert.check.Category;

/**
 * A certification verdict: the cluster missed one or more expectations. An {@link AssertionError},
 * so the report shows the test as failed (a verdict), not broken (a harness crash); its message
 * carries one tagged line per miss, which files it under those report categories.
 */
public final class CertificationFailure extends AssertionError {

    public CertificationFailure(String taggedMessage) {
        super(taggedMessage);
    }

    /** One failure line per element, each already tagged (see {@link Category#message(String)}). */
    public static CertificationFailure ofLines(java.util.List<String> taggedLines) {
        if (taggedLines.isEmpty()) throw new IllegalArgumentException("a certification failure needs at least one line");
        return new CertificationFailure(String.join("\n", taggedLines));
    }

    public static CertificationFailure of(Category category, String detail) {
        return new CertificationFailure(category.message(detail));
    }
}
