package dev.pgcert.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The results of all checkers of one run. */
public record CheckResults(List<CheckResult> results) {

    public CheckResults {
        results = List.copyOf(results);
    }

    /** The worst verdict; UNKNOWN when no checker ran. */
    public Verdict verdict() {
        return Verdict.merge(results.stream().map(CheckResult::verdict).toList());
    }

    /** Every checker's metrics under full names ({@code failover_time.client}), in checker order. */
    public Map<String, Object> metrics() {
        Map<String, Object> all = new LinkedHashMap<>();
        results.forEach(r -> all.putAll(r.qualifiedMetrics()));
        return Collections.unmodifiableMap(all);
    }

    public Optional<CheckResult> result(String checker) {
        return results.stream().filter(r -> r.checker().equals(checker)).findFirst();
    }

    /** The checker's verdict, or empty when it did not run. */
    public Optional<Verdict> verdictOf(String checker) {
        return result(checker).map(CheckResult::verdict);
    }
}
