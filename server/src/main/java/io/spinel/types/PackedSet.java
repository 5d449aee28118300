package io.spinel.types;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;

/**
 * The "listpack" encoding of a set: its members in insertion order in the set's own
 * {@link Listpack} (a small set is this one object and its array). Lookups walk the entries, as
 * in Redis: the encoding holds at most set-max-listpack-entries members.
 */
public final class PackedSet extends Listpack implements SetValue {
    public PackedSet() {
    }

    private PackedSet(PackedSet other) {
        super(other);
    }

    @Override
    public String encoding() {
        return "listpack";
    }

    @Override
    public boolean contains(byte[] member) {
        return find(0, member, 1) >= 0;
    }

    @Override
    public boolean remove(byte[] member) {
        int position = find(0, member, 1);
        if (position < 0) {
            return false;
        }
        delete(position, 1);
        return true;
    }

    @Override
    public SetValue add(byte[] member, Limits limits) {
        if (find(0, member, 1) >= 0) {
            return this;
        }
        if (size() < limits.maxListpackEntries() && member.length <= limits.maxListpackValue()
                && (long) bytes() + member.length <= LISTPACK_MAX_SAFE_BYTES) {
            append(member);
            return this;
        }
        TableSet table = TableSet.of(this);
        table.addMember(member);
        return table;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private int position = first();

            @Override
            public boolean hasNext() {
                return position >= 0;
            }

            @Override
            public byte[] next() {
                if (position < 0) {
                    throw new NoSuchElementException();
                }
                byte[] member = bytesAt(position);
                position = PackedSet.this.next(position);
                return member;
            }
        };
    }

    @Override
    public byte[] randomMember(RandomGenerator random) {
        return bytesAt(position(random.nextInt(size())));
    }

    @Override
    public PackedSet copy() {
        return new PackedSet(this);
    }

    @Override
    public long memoryUsage(int samples) {
        return memoryUsage();
    }
}
