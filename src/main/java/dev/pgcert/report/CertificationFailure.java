package dev.pgcert.report;

/**
 * A certification verdict: the cluster missed one or more expectations. An {@link AssertionError},
 * so the report shows the test as failed (a verdict), not broken (a harness crash); its message
 * carries one tagged line per miss, which files it under those report categories.
 */
public final class CertificationFailure extends AssertionError {

    public CertificationFailure(String taggedMessage) {
        super(taggedMessage);
    }

    public static CertificationFailure of(FailureCategory category, String detail) {
        return new CertificationFailure(category.message(detail));
    }
}
