package io.spinel.types;

import io.spinel.store.KeyTable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The "hashtable" encoding of a set: a {@link KeyTable} whose keys are the members (values and
 * tags unused). Lookups, inserts and removals are O(1); iteration follows the table's positions.
 */
public final class TableSet implements SetValue {
    private final KeyTable table = new KeyTable();

    public TableSet() {
    }

    /** A hash table holding the members of {@code source} (setTypeConvert). */
    static TableSet of(SetValue source) {
        TableSet set = new TableSet();
        for (Iterator<byte[]> it = source.iterator(); it.hasNext(); ) {
            set.addMember(it.next());
        }
        return set;
    }

    @Override
    public String encoding() {
        return "hashtable";
    }

    @Override
    public int size() {
        return table.size();
    }

    @Override
    public boolean contains(byte[] member) {
        return table.find(member) >= 0;
    }

    @Override
    public boolean remove(byte[] member) {
        int position = table.find(member);
        if (position < 0) {
            return false;
        }
        table.removeAt(position);
        return true;
    }

    /** Adds {@code member}; true when it was new. */
    boolean addMember(byte[] member) {
        int hash = KeyTable.hashOf(member);
        if (table.find(member, hash) >= 0) {
            return false;
        }
        table.insert(member, hash, null, 0);
        return true;
    }

    @Override
    public SetValue add(byte[] member, Limits limits) {
        addMember(member);
        return this;
    }

    @Override
    public Iterator<byte[]> iterator() {
        byte[][] members = new byte[table.size()][];
        int[] next = {0};
        table.forEachPosition(position -> members[next[0]++] = table.keyAt(position));
        return Arrays.asList(members).iterator();
    }

    @Override
    public byte[] randomMember(RandomGenerator random) {
        return table.randomKey(random);
    }

    /**
     * Adds to {@code out} the members of one or more batches from {@code cursor} on (see
     * {@link KeyTable#scan}); returns the next cursor, 0 when the scan is complete.
     */
    public long scan(long cursor, int count, Consumer<byte[]> out) {
        return table.scan(cursor, count, out);
    }

    @Override
    public TableSet copy() {
        TableSet copy = new TableSet();
        table.forEachPosition(position -> copy.addMember(table.keyAt(position)));
        return copy;
    }

    /**
     * Estimated bytes: the table's arrays (about 1.3 positions of 16 bytes per member) and the
     * member arrays, averaged over up to {@code samples} members (0: all).
     */
    @Override
    public long memoryUsage(int samples) {
        int size = table.size();
        long tableBytes = 24 + 16 + 64 + (long) (size * 1.3 * 16);
        if (size == 0) {
            return tableBytes;
        }
        long sampled = 0;
        int seen = 0;
        for (int p = table.nextPosition(0); p >= 0 && (samples == 0 || seen < samples); p = table.nextPosition(p + 1)) {
            seen++;
            sampled += 16 + ((table.keyAt(p).length + 7L) & ~7L);
        }
        return tableBytes + sampled * size / seen;
    }
}
