package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KeyPrefetchTest {
    private static byte[] key(int i) {
        return ("{t}key:" + i).getBytes(StandardCharsets.US_ASCII); // one slot: one table grows and shrinks
    }

    /**
     * KeyPrefetch reads the tables without their locks: while another thread grows a table past
     * the incremental resize size and empties it again, over and over, reading ahead must never
     * throw (a position computed from one capacity, read in arrays of another).
     */
    @Test
    void readsAheadWhileAnotherThreadResizesTheTable() throws Exception {
        Database db = new Keyspace(1, Clock.SYSTEM).database(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    for (int i = 0; i < 20_000; i++) {
                        db.set(key(i), "v".getBytes(StandardCharsets.US_ASCII), false);
                    }
                    for (int i = 0; i < 20_000; i++) {
                        db.delete(key(i));
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        writer.start();
        KeyPrefetch prefetch = new KeyPrefetch();
        long deadline = System.nanoTime() + 1_000_000_000L;
        long batches = 0;
        try {
            while (System.nanoTime() < deadline) {
                for (int k = 0; k < 8; k++) {
                    prefetch.add(key(ThreadLocalRandom.current().nextInt(20_000)));
                }
                prefetch.run(db);
                batches++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(batches).isPositive();
    }

    @Test
    void aBatchHoldsAtMostMaxKeysAndEmptiesWhenRun() {
        KeyPrefetch prefetch = new KeyPrefetch();
        for (int i = 0; i < KeyPrefetch.MAX_KEYS; i++) {
            assertThat(prefetch.add(key(i))).isTrue();
        }
        assertThat(prefetch.add(key(-1))).isFalse();
        Database db = new Keyspace(1, Clock.SYSTEM).database(0);
        prefetch.run(db);
        assertThat(prefetch.add(key(0))).isTrue();
    }

    @Test
    void readsTheStoredKeyAndValue() {
        Database db = new Keyspace(1, Clock.SYSTEM).database(0);
        db.set(key(0), "value".getBytes(StandardCharsets.US_ASCII), false);
        KeyPrefetch prefetch = new KeyPrefetch();
        prefetch.add(key(0));
        prefetch.add("a key of an empty slot".getBytes(StandardCharsets.US_ASCII));
        prefetch.run(db);
        assertThat(prefetch.read()).isEqualTo(key(0).length + "value".length());
    }
}
