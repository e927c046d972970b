package dev.pgcert.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "0,0", "100B,100", "16kB,16384", "16KiB,16384", "1MB,1048576", "1mib,1048576",
            "1.5GB,1610612736", "1GiB,1073741824", "2TB,2199023255552", "16 MB,16777216"})
    void sizesArePowersOf1024LikePostgres(String text, long bytes) {
        assertThat(Units.parseSize(text)).contains(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "-1", "1.5", "1XB", "1 M B", "9999999999TB", "0x10"})
    void notSizes(String text) {
        assertThat(Units.parseSize(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "10s,10000", "1.5s,1500", "2m,120000", "2min,120000", "1h,3600000", "0,0"})
    void durations(String text, long millis) {
        assertThat(Units.parseDuration(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "s", "10d", "-1s", "1.0005s", "ten seconds"})
    void notDurations(String text) {
        assertThat(Units.parseDuration(text)).isEmpty();
    }

    @Test
    void formatsSizesInTheLargestWholeUnit() {
        assertThat(Units.formatSize(16L << 20)).isEqualTo("16MB");
        assertThat(Units.formatSize(1536L << 10)).isEqualTo("1536kB");
        assertThat(Units.formatSize(100)).isEqualTo("100B");
        assertThat(Units.formatSize(0)).isEqualTo("0B");
    }
}
