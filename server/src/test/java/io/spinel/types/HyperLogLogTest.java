package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Unit tests of the HyperLogLog codec: formats, promotion, registers, estimates, corrupted input. */
class HyperLogLogTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] addAll(byte[] hll, int from, int to, long sparseMax) {
        for (int i = from; i < to; i++) {
            byte[] next = HyperLogLog.add(hll, bytes("e" + i), sparseMax);
            if (next != null) {
                hll = next;
            }
        }
        return hll;
    }

    @Test
    void create_isSparseWithOneXzeroAndValidZeroCache() {
        byte[] hll = HyperLogLog.create();
        assertThat(hll).hasSize(18);
        assertThat(new String(hll, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("HYLL");
        assertThat(HyperLogLog.encoding(hll)).isEqualTo(HyperLogLog.SPARSE);
        assertThat(HyperLogLog.cacheValid(hll)).isTrue();
        assertThat(hll[16] & 0xff).isEqualTo(0x7f);
        assertThat(hll[17] & 0xff).isEqualTo(0xff);
        assertThat(HyperLogLog.count(hll)).isZero();
        assertThat(HyperLogLog.decode(hll)).isEqualTo("Z:16384");
    }

    @Test
    void murmurHash64A_matchesKnownRegisterOfRedis() {
        // PFADD h a b c on Redis decodes as "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603".
        byte[] hll = HyperLogLog.create();
        for (String e : new String[] {"a", "b", "c"}) {
            byte[] next = HyperLogLog.add(hll, bytes(e), 3000);
            hll = next == null ? hll : next;
        }
        assertThat(HyperLogLog.decode(hll)).isEqualTo("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
        assertThat(HyperLogLog.cacheValid(hll)).isFalse();
        assertThat(HyperLogLog.count(hll)).isEqualTo(3);
    }

    @Test
    void add_sameElementTwice_changesNothing() {
        byte[] hll = HyperLogLog.add(HyperLogLog.create(), bytes("x"), 3000);
        assertThat(HyperLogLog.add(hll, bytes("x"), 3000)).isNull();
    }

    @Test
    void toDense_keepsEveryRegisterOfTheSparseForm() {
        byte[] sparse = addAll(HyperLogLog.create(), 0, 500, 3000);
        assertThat(HyperLogLog.encoding(sparse)).isEqualTo(HyperLogLog.SPARSE);
        byte[] dense = HyperLogLog.toDense(sparse);
        assertThat(dense).hasSize(HyperLogLog.DENSE_SIZE);
        byte[] fromSparse = new byte[HyperLogLog.REGISTERS];
        assertThat(HyperLogLog.mergeInto(fromSparse, sparse)).isTrue();
        byte[] fromDense = new byte[HyperLogLog.REGISTERS];
        assertThat(HyperLogLog.mergeInto(fromDense, dense)).isTrue();
        assertThat(fromDense).isEqualTo(fromSparse);
        assertThat(HyperLogLog.count(dense)).isEqualTo(HyperLogLog.count(sparse));
        byte[] allDense = addAll(HyperLogLog.toDense(HyperLogLog.create()), 0, 500, 3000);
        assertThat(java.util.Arrays.copyOfRange(allDense, 16, allDense.length))
                .isEqualTo(java.util.Arrays.copyOfRange(dense, 16, dense.length));
    }

    @Test
    void add_pastSparseMaxBytes_promotesToDense() {
        byte[] hll = addAll(HyperLogLog.create(), 0, 20, 40);
        assertThat(HyperLogLog.encoding(hll)).isEqualTo(HyperLogLog.DENSE);
        assertThat(hll).hasSize(HyperLogLog.DENSE_SIZE);
        byte[] sparse = addAll(HyperLogLog.create(), 0, 20, 3000);
        assertThat(sparse.length).isLessThanOrEqualTo(3000);
        assertThat(HyperLogLog.count(hll)).isEqualTo(HyperLogLog.count(sparse));
    }

    @Test
    void denseWrite_roundTripsEveryRegisterValue() {
        byte[] dense = HyperLogLog.toDense(HyperLogLog.create());
        Random random = new Random(3);
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = random.nextInt(64);
            HyperLogLog.denseWrite(dense, i, expected[i]);
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(HyperLogLog.denseGet(dense, i)).isEqualTo(expected[i]);
        }
    }

    @Test
    void count_staysWithinErrorBounds() {
        byte[] hll = HyperLogLog.create();
        int added = 0;
        for (int n : new int[] {10, 100, 1000, 10_000, 100_000}) {
            hll = addAll(hll, added, n, 3000);
            added = n;
            double error = Math.abs(HyperLogLog.count(hll) - n) / (double) n;
            assertThat(error).as("n=%d", n).isLessThan(n <= 100 ? 0.05 : 0.03);
        }
        assertThat(HyperLogLog.encoding(hll)).isEqualTo(HyperLogLog.DENSE);
    }

    @Test
    void cachedCount_roundTripsAndValidates() {
        byte[] hll = HyperLogLog.create();
        HyperLogLog.invalidateCache(hll);
        assertThat(HyperLogLog.cacheValid(hll)).isFalse();
        HyperLogLog.setCachedCount(hll, 123_456_789L);
        assertThat(HyperLogLog.cacheValid(hll)).isTrue();
        assertThat(HyperLogLog.cachedCount(hll)).isEqualTo(123_456_789L);
    }

    @Test
    void isValid_checksMagicEncodingAndDenseLength() {
        assertThat(HyperLogLog.isValid(HyperLogLog.create(), 18)).isTrue();
        assertThat(HyperLogLog.isValid(bytes("HYLL"), 4)).isFalse();
        byte[] dense = HyperLogLog.toDense(HyperLogLog.create());
        assertThat(HyperLogLog.isValid(dense, dense.length)).isTrue();
        assertThat(HyperLogLog.isValid(dense, dense.length - 1)).isFalse();
        byte[] bad = HyperLogLog.create();
        bad[4] = 2;
        assertThat(HyperLogLog.isValid(bad, bad.length)).isFalse();
    }

    @Test
    void corruptedSparse_isReportedNeverThrown() {
        Random random = new Random(11);
        byte[] base = addAll(HyperLogLog.create(), 0, 300, 3000);
        for (int round = 0; round < 20_000; round++) {
            byte[] hll = java.util.Arrays.copyOf(base, HyperLogLog.HEADER + random.nextInt(base.length - 15));
            for (int k = random.nextInt(1, 5); k > 0 && hll.length > HyperLogLog.HEADER; k--) {
                hll[HyperLogLog.HEADER + random.nextInt(hll.length - HyperLogLog.HEADER)] = (byte) random.nextInt(256);
            }
            HyperLogLog.count(hll);
            HyperLogLog.decode(hll);
            HyperLogLog.mergeInto(new byte[HyperLogLog.REGISTERS], hll);
            HyperLogLog.toDense(hll);
            byte[] added = HyperLogLog.add(hll.clone(), bytes("r" + round), 3000);
            if (added != null && added != HyperLogLog.CORRUPT) {
                HyperLogLog.count(added);
            }
            HyperLogLog.writeRegisters(hll.clone(), new byte[HyperLogLog.REGISTERS], false, 3000);
        }
        byte[] truncated = java.util.Arrays.copyOf(base, base.length - 1);
        assertThat(HyperLogLog.count(truncated)).isEqualTo(-1);
        assertThat(HyperLogLog.toDense(truncated)).isSameAs(HyperLogLog.CORRUPT);
    }
}
