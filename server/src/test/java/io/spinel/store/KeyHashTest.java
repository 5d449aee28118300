package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The table hash spreads keys that differ in a few bytes (as benchmark and application keys do)
 * the way a random function would: full 32-bit collisions near the birthday expectation, and
 * homes (the high bits, which {@link KeyTable} uses) evenly filled.
 */
class KeyHashTest {
    private static final int KEYS = 1_000_000;

    @Test
    void sequentialKeysCollideAsRandomHashesWould() {
        for (String format : new String[] {"key:%012d", "%d", "user:%d:profile:settings"}) {
            int[] hashes = new int[KEYS];
            for (int i = 0; i < KEYS; i++) {
                hashes[i] = KeyHash.hash(String.format(format, i).getBytes(StandardCharsets.US_ASCII));
            }
            int[] sorted = hashes.clone();
            Arrays.sort(sorted);
            int collisions = 0;
            for (int i = 1; i < KEYS; i++) {
                if (sorted[i] == sorted[i - 1]) {
                    collisions++;
                }
            }
            // n^2 / 2^33 = 116 expected for a random 32-bit function
            assertThat(collisions).as(format).isLessThan(250);

            int buckets = 1 << 16; // homes by the top 16 bits, about 15 keys each
            int[] counts = new int[buckets];
            for (int hash : hashes) {
                counts[hash >>> 16]++;
            }
            double expected = (double) KEYS / buckets;
            double chiSquare = 0;
            for (int count : counts) {
                chiSquare += (count - expected) * (count - expected) / expected;
            }
            // 65,535 degrees of freedom: mean 65,535, standard deviation 362
            assertThat(chiSquare).as(format).isBetween(63_000.0, 68_000.0);
        }
    }
}
