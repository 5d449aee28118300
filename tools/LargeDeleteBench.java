import io.spinel.store.Clock;
import io.spinel.store.Database;
import io.spinel.store.EntrySize;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotHash;
import io.spinel.types.SetValue;

/**
 * How long deleting a 10,000,000-member set takes inside the server, without the network and
 * without other processes' noise: builds the set through the Database API (as SADD does), then
 * times Database.delete, which is what DEL and UNLINK run under the key's slot lock.
 * Run: java -Xmx3g -cp server/target/classes tools/LargeDeleteBench.java
 */
public class LargeDeleteBench {
    public static void main(String[] args) {
        Keyspace keyspace = new Keyspace(16, Clock.SYSTEM);
        Database db = keyspace.database(0);
        byte[] key = "big".getBytes();
        int slot = SlotHash.slot(key);
        SetValue.Limits limits = new SetValue.Limits(512, 128, 64);
        keyspace.locks().lock(slot);
        db.set(key, SetValue.create("m0".getBytes(), 1, limits).add("m0".getBytes(), limits), 0L);
        for (int i = 1; i < 10_000_000; i++) {
            SetValue set = (SetValue) db.getForWrite(key);
            SetValue grown = set.add(("m" + i).getBytes(), limits);
            if (grown != set) {
                db.replace(key, grown);
            }
        }
        keyspace.locks().unlock(slot);
        System.out.println("members " + ((SetValue) db.peek(key)).size() + ", used_memory_dataset " + keyspace.datasetBytes()
                + ", MEMORY USAGE " + EntrySize.of(key, db.peek(key), 5));
        keyspace.locks().lock(slot);
        long start = System.nanoTime();
        db.delete(key);
        long took = System.nanoTime() - start;
        keyspace.locks().unlock(slot);
        System.out.println("delete took " + took / 1000 + " us, used_memory_dataset " + keyspace.datasetBytes());
    }
}
