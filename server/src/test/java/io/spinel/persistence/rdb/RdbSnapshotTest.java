package io.spinel.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.config.Config;
import io.spinel.store.Clock;
import io.spinel.store.Database;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotHash;
import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The snapshot's slot barrier: whatever happens after {@link RdbSnapshot#begin}, the file is the dataset at the start. */
class RdbSnapshotTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void set(Keyspace keyspace, int db, String key, String value) {
        int slot = SlotHash.slot(b(key));
        keyspace.locks().lock(slot);
        try {
            keyspace.database(db).set(b(key), StringValue.of(b(value)), 0L);
        } finally {
            keyspace.locks().unlock(slot);
        }
    }

    /** The keys and string values of a file, as "db:key" to value. */
    static Map<String, String> load(byte[] file) throws RdbFormatException {
        Map<String, String> out = new TreeMap<>();
        RdbLoader.load(file, new RdbValueReader(new Config()), 16, System.currentTimeMillis(), (db, key, value, expiresAt, idle) ->
                out.put(db + ":" + new String(key, StandardCharsets.UTF_8), new String(StringValue.bytes(value), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void snapshot_writesAfterBeginDoNotReachTheFile() throws Exception {
        Keyspace keyspace = new Keyspace(16, Clock.SYSTEM);
        Map<String, String> before = new TreeMap<>();
        for (int i = 0; i < 2000; i++) {
            set(keyspace, i % 3 == 0 ? 5 : 0, "key:" + i, "old" + i);
            before.put((i % 3 == 0 ? 5 : 0) + ":key:" + i, "old" + i);
        }
        RdbSnapshot snapshot = RdbSnapshot.begin(keyspace, true, List::of);
        for (int i = 0; i < 2000; i += 2) {
            set(keyspace, i % 3 == 0 ? 5 : 0, "key:" + i, "new" + i);
        }
        set(keyspace, 0, "created-after", "x");
        keyspace.locks().lockAll();
        try {
            for (int db = 0; db < 16; db++) {
                keyspace.database(db).clear();
            }
        } finally {
            keyspace.locks().unlockAll();
        }
        set(keyspace, 0, "after-flush", "y");
        assertThat(load(snapshot.toBytes(Map.of()))).isEqualTo(before);
    }

    @Test
    void snapshot_beganInsideHeldLocksSerializesThoseSlotsFirst() throws Exception {
        Keyspace keyspace = new Keyspace(16, Clock.SYSTEM);
        set(keyspace, 0, "k", "v1");
        int slot = SlotHash.slot(b("k"));
        keyspace.locks().lock(slot);
        RdbSnapshot snapshot;
        try {
            snapshot = RdbSnapshot.begin(keyspace, false, List::of);
            Database db = keyspace.database(0);
            db.set(b("k"), StringValue.of(b("v2")), 0L);
        } finally {
            keyspace.locks().unlock(slot);
        }
        assertThat(load(snapshot.toBytes(Map.of()))).containsExactly(Map.entry("0:k", "v1"));
    }

    @Test
    void snapshot_leavesOutKeysExpiredAtTheStart() throws Exception {
        Keyspace keyspace = new Keyspace(16, Clock.SYSTEM);
        set(keyspace, 0, "live", "1");
        set(keyspace, 0, "dead", "2");
        keyspace.locks().lockAll();
        try {
            keyspace.database(0).set(b("dead"), StringValue.of(b("2")), System.currentTimeMillis() - 10);
            keyspace.database(0).set(b("later"), StringValue.of(b("3")), System.currentTimeMillis() + 60_000);
        } finally {
            keyspace.locks().unlockAll();
        }
        assertThat(load(RdbSnapshot.begin(keyspace, true, List::of).toBytes(Map.of()))).containsOnlyKeys("0:live", "0:later");
    }
}
