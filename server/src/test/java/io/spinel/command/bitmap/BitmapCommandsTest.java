package io.spinel.command.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time bit counting and searching of {@link BitmapCommands} against a bit-by-bit
 * reading of the same bytes, over random arrays and ranges that start and end inside, at and
 * across eight-byte words.
 */
class BitmapCommandsTest {
    @Test
    void countBitsAndFindBit_matchBitByBitReading() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = new byte[random.nextInt(1, 40)];
            int density = random.nextInt(3);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (density == 0 ? 0 : density == 1 ? 0xff : random.nextInt(256));
            }
            if (density < 2) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
            long bits = bytes.length * 8L;
            long first = random.nextLong(bits);
            long last = random.nextLong(first, bits);
            assertThat(BitmapCommands.countBits(bytes, first, last)).isEqualTo(naiveCount(bytes, first, last));
            for (boolean set : new boolean[] {true, false}) {
                assertThat(BitmapCommands.findBit(bytes, first, last, set)).as("round %d", round)
                        .isEqualTo(naiveFind(bytes, first, last, set));
            }
        }
    }

    private static int bit(byte[] bytes, long position) {
        return (bytes[(int) (position >>> 3)] >> (7 - (int) (position & 7))) & 1;
    }

    private static long naiveCount(byte[] bytes, long first, long last) {
        long count = 0;
        for (long p = first; p <= last; p++) {
            count += bit(bytes, p);
        }
        return count;
    }

    private static long naiveFind(byte[] bytes, long first, long last, boolean set) {
        for (long p = first; p <= last; p++) {
            if (bit(bytes, p) == (set ? 1 : 0)) {
                return p;
            }
        }
        return -1;
    }
}
