package dev.pgcert.check;

/** An expectation that cannot be read; the message names the metric and the bad text. */
public class ExpectationParseException extends IllegalArgumentException {
    private final String metric;
    private final String text;

    public ExpectationParseException(String metric, String text, String problem) {
        super(metric + ": " + problem);
        this.metric = metric;
        this.text = text;
    }

    public String metric() {
        return metric;
    }

    public String text() {
        return text;
    }
}
