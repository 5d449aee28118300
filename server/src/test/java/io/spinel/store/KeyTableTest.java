package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The slot table against a HashMap model under random operations (inserts, removals, expiry
 * changes, sweeps, growing and shrinking), and the scan guarantees: every key present for the
 * whole scan is returned, none twice, even when the table grows or shrinks between calls, and a
 * cursor is a hash bound (every key hashed below it has been returned).
 */
class KeyTableTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void randomOperations_matchModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        randomOperations(random, 1 + random.nextInt(2000), 50_000, 1000);
    }

    /**
     * Tables large enough to grow and shrink incrementally ({@link KeyTable#INCREMENTAL_CAPACITY}):
     * lookups, insertions, removals and expiries while keys are split between the old and the new
     * arrays, checked by lookups only (which leave a migration running) between full checks.
     */
    @ParameterizedTest
    @ValueSource(longs = {5, 6, 77})
    void randomOperations_whileMigrating_matchModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        assertThat(randomOperations(random, 8 * KeyTable.INCREMENTAL_CAPACITY, 200_000, 50_000)).isGreaterThan(50);
    }

    /** Runs random operations against a model; returns how many lookup checks found the table migrating. */
    private static int randomOperations(SplittableRandom random, int keySpace, int operations, int fullCheckEvery) {
        int checkedWhileMigrating = 0;
        KeyTable table = new KeyTable();
        Map<ByteBuffer, Long> model = new HashMap<>();
        Map<ByteBuffer, Long> expiries = new HashMap<>();
        // Phases that mostly insert, then mostly remove, so the table grows and shrinks through migrations.
        int phase = Math.max(1, operations / 8);
        for (int op = 0; op < operations; op++) {
            byte[] key = key(random.nextInt(keySpace));
            ByteBuffer k = ByteBuffer.wrap(key);
            int position = table.find(key);
            assertThat(position >= 0).isEqualTo(model.containsKey(k));
            int choice = random.nextInt(6);
            if ((op / phase) % 2 == 1 && choice <= 1 && random.nextInt(4) != 0) {
                choice = 2; // a shrinking phase
            }
            switch (choice) {
                case 0, 1 -> {
                    long value = random.nextLong();
                    if (position >= 0) {
                        table.setValueAt(position, value);
                    } else {
                        table.insert(key, KeyTable.hashOf(key), value, 0);
                    }
                    model.put(k, value);
                }
                case 2, 3 -> {
                    if (position >= 0) {
                        table.removeAt(position);
                        model.remove(k);
                        expiries.remove(k);
                    }
                }
                case 4 -> {
                    if (position >= 0) {
                        long at = random.nextBoolean() ? 0 : 1 + random.nextInt(1000);
                        table.setExpiryAt(position, at);
                        if (at == 0) {
                            expiries.remove(k);
                        } else {
                            expiries.put(k, at);
                        }
                    }
                }
                default -> {
                    if (random.nextInt(100) == 0) {
                        long now = random.nextInt(1000);
                        Set<ByteBuffer> removed = new HashSet<>();
                        table.removeExpired(now, expired -> removed.add(ByteBuffer.wrap(expired)));
                        Set<ByteBuffer> expected = new HashSet<>();
                        expiries.forEach((key2, at) -> {
                            if (at <= now) {
                                expected.add(key2);
                            }
                        });
                        assertThat(removed).isEqualTo(expected);
                        expected.forEach(gone -> {
                            model.remove(gone);
                            expiries.remove(gone);
                        });
                    }
                }
            }
            if (op % fullCheckEvery == 0) {
                checkInvariants(table, model, expiries);
            } else if (table.migrating() && op % 2 == 0) {
                checkedWhileMigrating++;
                checkSample(table, model, expiries, random, keySpace);
            } else if (op % 9973 == 0) {
                checkLookups(table, model, expiries);
            }
        }
        checkLookups(table, model, expiries);
        checkInvariants(table, model, expiries);
        return checkedWhileMigrating;
    }

    /** Random keys of the key space are found, or not, as the model says, by lookups alone. */
    private static void checkSample(KeyTable table, Map<ByteBuffer, Long> model, Map<ByteBuffer, Long> expiries,
            SplittableRandom random, int keySpace) {
        assertThat(table.size()).isEqualTo(model.size());
        for (int i = 0; i < 64; i++) {
            byte[] key = key(random.nextInt(keySpace));
            ByteBuffer k = ByteBuffer.wrap(key);
            int position = table.find(key);
            assertThat(position >= 0).isEqualTo(model.containsKey(k));
            if (position >= 0) {
                assertThat(table.valueAt(position)).isEqualTo(model.get(k));
                assertThat(table.expiryAt(position)).isEqualTo(expiries.getOrDefault(k, 0L));
            }
        }
    }

    /** Every key of the model is found with its value and expiry, by lookups alone. */
    private static void checkLookups(KeyTable table, Map<ByteBuffer, Long> model, Map<ByteBuffer, Long> expiries) {
        assertThat(table.size()).isEqualTo(model.size());
        assertThat(table.volatileCount()).isEqualTo(expiries.size());
        model.forEach((k, value) -> {
            int position = table.find(k.array());
            assertThat(position).isGreaterThanOrEqualTo(0);
            assertThat(table.valueAt(position)).isEqualTo(value);
            assertThat(table.expiryAt(position)).isEqualTo(expiries.getOrDefault(k, 0L));
        });
    }

    /** The lookups, then what whole-table operations see: the earliest expiry, every position, a full scan. */
    private static void checkInvariants(KeyTable table, Map<ByteBuffer, Long> model, Map<ByteBuffer, Long> expiries) {
        checkLookups(table, model, expiries);
        for (long at : expiries.values()) {
            assertThat(table.earliestExpiry()).isLessThanOrEqualTo(at);
        }
        List<ByteBuffer> seen = new ArrayList<>();
        table.forEachPosition(p -> seen.add(ByteBuffer.wrap(table.keyAt(p))));
        assertThat(seen).hasSize(model.size()).containsExactlyInAnyOrderElementsOf(model.keySet());
        List<ByteBuffer> scanned = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = table.scan(cursor, 7, key -> scanned.add(ByteBuffer.wrap(key)));
        } while (cursor != 0);
        assertThat(scanned).hasSize(model.size()).containsExactlyInAnyOrderElementsOf(model.keySet());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 99, 2024})
    void scan_returnsStableKeysAcrossGrowthAndShrinking(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        KeyTable table = new KeyTable();
        Set<ByteBuffer> stable = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] key = key(i);
            table.insert(key, KeyTable.hashOf(key), 1L, 0);
            stable.add(ByteBuffer.wrap(key));
        }
        List<byte[]> churn = new ArrayList<>();
        int next = 1_000_000;
        Set<ByteBuffer> scanned = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = table.scan(cursor, 1 + random.nextInt(5), key -> scanned.add(ByteBuffer.wrap(key)));
            calls++;
            if (random.nextBoolean()) {
                int n = random.nextInt(400);
                for (int i = 0; i < n; i++) {
                    byte[] key = key(next++);
                    table.insert(key, KeyTable.hashOf(key), 2L, 0);
                    churn.add(key);
                }
            } else {
                int n = random.nextInt(churn.size() + 1);
                for (int i = 0; i < n; i++) {
                    byte[] key = churn.remove(churn.size() - 1);
                    table.removeAt(table.find(key));
                }
            }
        } while (cursor != 0 && calls < 1_000_000);
        assertThat(cursor).isZero();
        assertThat(scanned).containsAll(stable);
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 11, 512, 4096})
    void scan_returnsNoKeyTwiceAcrossGrowthAndShrinking(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        KeyTable table = new KeyTable();
        Set<ByteBuffer> stable = new HashSet<>();
        for (int i = 0; i < 1 + random.nextInt(300); i++) {
            byte[] key = key(i);
            table.insert(key, KeyTable.hashOf(key), 1L, 0);
            stable.add(ByteBuffer.wrap(key));
        }
        List<byte[]> churn = new ArrayList<>();
        int next = 1_000_000;
        List<ByteBuffer> scanned = new ArrayList<>();
        long cursor = 0;
        do {
            long from = cursor;
            List<byte[]> batch = new ArrayList<>();
            cursor = table.scan(cursor, 1 + random.nextInt(10), batch::add);
            for (byte[] key : batch) {
                long hash = KeyTable.hashOf(key) & 0xffffffffL;
                assertThat(hash).isGreaterThanOrEqualTo(from);
                if (cursor != 0) {
                    assertThat(hash).isLessThan(cursor);
                }
                scanned.add(ByteBuffer.wrap(key));
            }
            int n = random.nextInt(1 + 2 * table.size());
            boolean grow = random.nextBoolean();
            for (int i = 0; i < n; i++) {
                if (grow) {
                    byte[] key = key(next++);
                    table.insert(key, KeyTable.hashOf(key), 2L, 0);
                    churn.add(key);
                } else if (!churn.isEmpty()) {
                    byte[] key = churn.remove(random.nextInt(churn.size()));
                    table.removeAt(table.find(key));
                }
            }
        } while (cursor != 0);
        assertThat(new HashSet<>(scanned)).hasSameSizeAs(scanned).containsAll(stable);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 13, 40, 100, 1000})
    void scan_cursorBoundsTheHashesReturned(int keyCount) {
        KeyTable table = new KeyTable();
        List<Long> hashes = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            byte[] key = key(i);
            table.insert(key, KeyTable.hashOf(key), 1L, 0);
            hashes.add(KeyTable.hashOf(key) & 0xffffffffL);
        }
        for (int count : new int[] {1, 2, 3, Integer.MAX_VALUE}) {
            List<Long> returned = new ArrayList<>();
            long cursor = 0;
            do {
                cursor = table.scan(cursor, count, key -> returned.add(KeyTable.hashOf(key) & 0xffffffffL));
                long bound = cursor == 0 ? 1L << 32 : cursor;
                for (long hash : hashes) {
                    assertThat(returned.contains(hash)).isEqualTo(hash < bound);
                }
            } while (cursor != 0);
            assertThat(returned).hasSameSizeAs(hashes);
        }
        assertThat(table.scan(1L << 32, 10, key -> { })).isZero();
    }

    private static byte[] key(int i) {
        return ("key:" + i).getBytes(StandardCharsets.US_ASCII);
    }
}
