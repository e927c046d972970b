package dev.pgcert.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("ttl", "loop_wait", "retry_timeout", "synchronous_mode",
            "synchronous_mode_strict", "fall", "rise", "pool_mode");

    @Test
    void suggestsTheClosestKeyForTypos() {
        assertThat(Suggestions.closest("loopwait", KEYS)).contains("loop_wait");
        assertThat(Suggestions.closest("tll", KEYS)).contains("ttl");
        assertThat(Suggestions.closest("TTL", KEYS)).contains("ttl");
        assertThat(Suggestions.closest("synchronous_mod", KEYS)).contains("synchronous_mode");
        assertThat(Suggestions.closest("synchronous_mode_strct", KEYS)).contains("synchronous_mode_strict");
        assertThat(Suggestions.closest("retry-timeout", KEYS)).contains("retry_timeout");
    }

    @Test
    void suggestsNothingForUnrelatedWords() {
        assertThat(Suggestions.closest("colour", KEYS)).isEmpty();
        assertThat(Suggestions.closest("pool", KEYS)).isEmpty();
        assertThat(Suggestions.didYouMean("colour", KEYS)).isEmpty();
    }

    @Test
    void countsATranspositionAsOneEdit() {
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }
}
