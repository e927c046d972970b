package dev.pgcert.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of the harness's topology keys that differ between Patroni versions, read from each
 * version's own source (tags v3.0.2 and v4.0.7 of github.com/patroni/patroni):
 * <ul>
 *   <li>minimums and the timing rule: from 3.2.0 (commit 9283ebd, PR 2869) {@code patroni/config.py}
 *       {@code _validate_and_adjust_timeouts} raises ttl below 20, retry_timeout below 3 and loop_wait
 *       below 1 to those values, then lowers loop_wait (or retry_timeout) until
 *       {@code loop_wait + 2*retry_timeout <= ttl}, each with only a log warning; 3.0.2 checks neither;</li>
 *   <li>{@code synchronous_mode: quorum}: from 4.0 ({@code global_config.is_quorum_commit_mode});
 *       3.0.2 reads the mode with {@code parse_bool}, which gives nothing for "quorum", so the cluster
 *       would run asynchronously;</li>
 *   <li>REST health checks: {@code /quorum} and {@code /read-only-quorum} exist from 4.0 ({@code api.py do_GET});
 *       on 3.0.2 {@code /quorum} always answers 503 and {@code /read-only-quorum} acts as {@code /read-only}.</li>
 * </ul>
 */
final class PatroniRules {
    static final int MIN_TTL = 20;
    static final int MIN_LOOP_WAIT = 1;
    static final int MIN_RETRY_TIMEOUT = 3;

    /** REST endpoints (GET 200/503) of every supported Patroni version. */
    private static final List<String> ENDPOINTS = List.of("/primary", "/read-write", "/leader", "/standby-leader",
            "/replica", "/read-only", "/synchronous", "/sync", "/asynchronous", "/async",
            "/read-only-sync", "/read-only-synchronous");
    /** Endpoints that came with quorum commit in Patroni 4.0. */
    static final List<String> QUORUM_ENDPOINTS = List.of("/quorum", "/read-only-quorum");

    private PatroniRules() {}

    /** Whether Patroni raises ttl, loop_wait and retry_timeout to its minimums and enforces the timing rule itself. */
    static boolean adjustsTimeouts(Stack stack) {
        return stack.patroniAtLeast(3, 2);
    }

    static boolean hasQuorumCommit(Stack stack) {
        return stack.patroniAtLeast(4, 0);
    }

    /** The health-check endpoints this stack's Patroni answers. */
    static List<String> endpoints(Stack stack) {
        List<String> all = new ArrayList<>(ENDPOINTS);
        if (hasQuorumCommit(stack)) {
            all.addAll(QUORUM_ENDPOINTS);
        }
        all.add("/health");
        return List.copyOf(all);
    }

    /** "Patroni 4.0.7 (stack trixie)", for messages. */
    static String patroniOf(Stack stack) {
        return "Patroni " + stack.patroni() + " (stack " + stack.name() + ")";
    }
}
