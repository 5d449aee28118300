package io.spinel.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream: entries with increasing IDs, each a list of field/value pairs, plus consumer groups
 * with their pending entries lists (Redis's t_stream.c data side).
 *
 * <h2>Entries</h2>
 * Entries live in {@link Block}s, each a {@link Listpack} holding up to stream-node-max-entries
 * entries, in ID order; the blocks are an array list in ID order, found by binary search on their
 * master ID (the first ID the block received), as Redis finds its listpacks in a radix tree keyed
 * by that ID. A block remembers the fields of its master entry: an entry with the same fields in
 * the same order stores only its values, as in Redis, which halves the bytes of the usual stream
 * whose entries all have the same shape. IDs are stored as deltas from the master ID, so they
 * take one or two bytes each.
 *
 * <p>Deleting an entry (XDEL, exact trimming) removes its bytes from the block instead of
 * flagging it as Redis does, but the block counts it as deleted, because Redis's choice of when
 * to start a new block counts deleted entries, and XINFO STREAM's radix-tree-keys shows how many
 * blocks there are. For the same reason each block tracks the byte size Redis's listpack would
 * have ({@link Block#redisBytes}), which stream-node-max-bytes limits.
 *
 * <h2>Groups</h2>
 * A {@link ConsumerGroup} has its last delivered ID, its entries-read counter (Redis 7's lag
 * bookkeeping), a pending entries list (PEL) of {@link Nack}s by ID, and its {@link Consumer}s by
 * name (byte order, as Redis's radix tree iterates them), each with the same Nacks of the entries
 * it owns.
 *
 * <h2>Concurrency</h2>
 * Not thread-safe: used under its key's slot lock.
 */
public final class StreamValue implements CollectionValue {
    /** Entries-read value meaning "unknown" (SCG_INVALID_ENTRIES_READ). */
    public static final long INVALID_ENTRIES_READ = -1;
    /** The largest listpack Redis builds for a stream node (STREAM_LISTPACK_MAX_SIZE). */
    private static final long LISTPACK_MAX_SIZE = 1L << 30;
    private static final Comparator<byte[]> BYTE_ORDER = Arrays::compareUnsigned;

    private final ArrayList<Block> blocks = new ArrayList<>();
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private TreeMap<byte[], ConsumerGroup> groups;

    /** One entry read from the stream: its ID and its fields and values, alternating. */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** The number of blocks (XINFO STREAM radix-tree-keys). */
    public int blockCount() {
        return blocks.size();
    }

    /**
     * The number of nodes Redis's radix tree of blocks would have (XINFO STREAM
     * radix-tree-nodes): the nodes of the compressed trie of the blocks' 16-byte big-endian
     * master IDs, which is the shape Redis's rax keeps.
     */
    public long radixTreeNodes() {
        return blocks.isEmpty() ? 1 : trieNodes(0, blocks.size(), 0);
    }

    private long trieNodes(int from, int to, int depth) {
        if (to - from == 1) {
            return depth == 16 ? 1 : 2;
        }
        int common = depth;
        while (common < 16 && keyByte(from, common) == keyByte(to - 1, common)) {
            common++;
        }
        if (common > depth) {
            return 1 + trieNodes(from, to, common);
        }
        long nodes = 1;
        int start = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || keyByte(i, depth) != keyByte(start, depth)) {
                nodes += trieNodes(start, i, depth + 1);
                start = i;
            }
        }
        return nodes;
    }

    private int keyByte(int block, int index) {
        Block b = blocks.get(block);
        long half = index < 8 ? b.masterMs : b.masterSeq;
        return (int) (half >>> (56 - 8 * (index & 7))) & 0xff;
    }

    /** XSETID: sets the last ID, and the counters when given (-1 / null: unchanged). */
    public void setId(StreamId last, long added, StreamId maxDeleted) {
        lastId = last;
        if (added != -1) {
            entriesAdded = added;
        }
        if (maxDeleted != null && !maxDeleted.isZero()) {
            maxDeletedId = maxDeleted;
        }
    }

    // ---- entries

    /**
     * Appends an entry with the fields and values {@code argv[from..from+2*pairs)} under
     * {@code id}, which the caller checked is above {@link #lastId}. Starts a new block when the
     * last one reached {@code nodeMaxBytes} (Redis's listpack bytes) or {@code nodeMaxEntries}.
     */
    public void append(StreamId id, byte[][] argv, int from, int pairs, long nodeMaxBytes, long nodeMaxEntries) {
        Block block = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (block != null) {
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : nodeMaxBytes;
            long total = 0;
            for (int i = 0; i < pairs * 2; i++) {
                total += argv[from + i].length;
            }
            if (block.redisBytes() + total >= maxBytes
                    || (nodeMaxEntries != 0 && block.live + block.deleted >= nodeMaxEntries)) {
                block.trim();
                block = null;
            }
        }
        if (block == null) {
            byte[][] fields = new byte[pairs][];
            for (int i = 0; i < pairs; i++) {
                fields[i] = argv[from + 2 * i];
            }
            block = new Block(id, fields);
            blocks.add(block);
        }
        block.add(id, argv, from, pairs);
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
    }

    /** The index of the block that holds {@code id} if any has it: the last whose master ID is at most it, or -1. */
    private int blockFor(StreamId id) {
        int low = 0;
        int high = blocks.size() - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (blocks.get(mid).master().compareTo(id) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /**
     * The entries with IDs in [{@code start}, {@code end}], ascending or descending, at most
     * {@code count} of them (0: all).
     */
    public List<Entry> range(StreamId start, StreamId end, boolean reverse, long count) {
        List<Entry> out = new ArrayList<>();
        if (start.compareTo(end) > 0 || blocks.isEmpty()) {
            return out;
        }
        if (!reverse) {
            int b = Math.max(0, blockFor(start));
            for (; b < blocks.size(); b++) {
                Block block = blocks.get(b);
                for (int p = block.first(); p >= 0; p = block.skip(p)) {
                    if (block.compareIdAt(p, start) < 0) {
                        continue;
                    }
                    StreamId id = block.idAt(p);
                    if (id.compareTo(end) > 0) {
                        return out;
                    }
                    out.add(new Entry(id, block.fieldsAt(p)));
                    if (count != 0 && out.size() >= count) {
                        return out;
                    }
                }
            }
            return out;
        }
        for (int b = blockFor(end); b >= 0; b--) {
            Block block = blocks.get(b);
            int[] positions = block.positions();
            for (int i = positions.length - 1; i >= 0; i--) {
                StreamId id = block.idAt(positions[i]);
                if (id.compareTo(end) > 0) {
                    continue;
                }
                if (id.compareTo(start) < 0) {
                    return out;
                }
                out.add(new Entry(id, block.fieldsAt(positions[i])));
                if (count != 0 && out.size() >= count) {
                    return out;
                }
            }
        }
        return out;
    }

    /** The entry with {@code id}, or null. */
    public Entry get(StreamId id) {
        List<Entry> found = range(id, id, false, 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The ID of the last entry, or 0-0 when empty (streamLastValidID). */
    public StreamId lastValidId() {
        for (int b = blocks.size() - 1; b >= 0; b--) {
            Block block = blocks.get(b);
            if (block.live > 0 && !block.tailDeleted) {
                return block.lastAppended();
            }
            int p = block.lastEntry();
            if (p >= 0) {
                return block.idAt(p);
            }
        }
        return StreamId.MIN;
    }

    private StreamId firstValidId() {
        for (Block block : blocks) {
            if (block.first() >= 0) {
                return block.idAt(block.first());
            }
        }
        return StreamId.MIN;
    }

    /** Deletes the entry with {@code id} (XDEL); false when there is none. */
    public boolean delete(StreamId id) {
        int b = blockFor(id);
        if (b < 0) {
            return false;
        }
        Block block = blocks.get(b);
        for (int p = block.first(); p >= 0; p = block.skip(p)) {
            int c = block.idAt(p).compareTo(id);
            if (c > 0) {
                return false;
            }
            if (c == 0) {
                block.tailDeleted |= id.equals(block.lastAppended());
                block.delete(p, block.elementsAt(p));
                block.live--;
                block.deleted++;
                if (block.live == 0) {
                    blocks.remove(b);
                }
                length--;
                if (id.compareTo(maxDeletedId) > 0) {
                    maxDeletedId = id;
                }
                return true;
            }
        }
        return false;
    }

    /** Re-reads the first ID after deletions, as Redis does after XDEL of the first entry or a trim. */
    public void refreshFirstId() {
        firstId = length == 0 ? StreamId.MIN : firstValidId();
    }

    /**
     * Trims the stream as Redis's streamTrim does: by MAXLEN when {@code minId} is null, else by
     * MINID; {@code approx} removes whole blocks only; {@code limit} (0: none) caps the entries
     * removed. Returns how many were removed.
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long removed = 0;
        int whole = 0;
        while (whole < blocks.size()) {
            if (minId == null && length <= maxLen) {
                break;
            }
            Block block = blocks.get(whole);
            long entries = block.live;
            if (limit != 0 && removed + entries > limit) {
                break;
            }
            boolean removeBlock = minId == null ? length - entries >= maxLen : block.lastAppended().compareTo(minId) < 0;
            if (removeBlock) {
                length -= entries;
                removed += entries;
                whole++;
                continue;
            }
            if (approx) {
                break;
            }
            int first = block.first();
            int p = first;
            int elements = 0;
            int entriesHere = 0;
            while (p >= 0) {
                boolean stop = minId == null ? length <= maxLen : block.idAt(p).compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                elements += block.elementsAt(p);
                entriesHere++;
                length--;
                p = block.skip(p);
            }
            if (entriesHere > 0) {
                block.tailDeleted |= p < 0;
                block.delete(first, elements);
                block.live -= entriesHere;
                block.deleted += entriesHere;
                removed += entriesHere;
            }
            break;
        }
        if (whole > 0) {
            blocks.subList(0, whole).clear();
        }
        refreshFirstId();
        return removed;
    }

    // ---- files (RDB): the blocks as Redis's listpacks hold them

    /** One block as a file holds it: its master ID and fields, and its entries in ID order. */
    public record BlockView(StreamId master, byte[][] masterFields, List<Entry> entries) {
    }

    /** Block {@code index} (0 to {@link #blockCount()} - 1), for the RDB writer. */
    public BlockView blockView(int index) {
        Block block = blocks.get(index);
        int[] positions = block.positions();
        List<Entry> entries = new ArrayList<>(positions.length);
        for (int p : positions) {
            entries.add(new Entry(block.idAt(p), block.fieldsAt(p)));
        }
        return new BlockView(block.master(), block.masterFields, entries);
    }

    /**
     * Starts a block read from a file, which the next {@link #loadEntry} calls fill. {@code
     * live} and {@code deleted} are the listpack's counters and {@code redisBytes} its size, so
     * the block decides when the next one starts as Redis's node would. The caller validated the
     * listpack (IDs ascending, above the previous block's).
     */
    public void loadBlock(StreamId master, byte[][] masterFields, int live, int deleted, int redisBytes) {
        if (!blocks.isEmpty()) {
            blocks.get(blocks.size() - 1).trim();
        }
        Block block = new Block(master, masterFields);
        block.deleted = deleted;
        block.bodyBytes = redisBytes - Block.LISTPACK_HEADER_AND_END - Block.redisSize(live) - Block.redisSize(deleted);
        blocks.add(block);
    }

    /**
     * Adds an entry read from a file to the block {@link #loadBlock} started: a live entry is
     * stored; a deleted one (a tombstone in Redis's listpack) only becomes the block's last
     * received ID.
     */
    public void loadEntry(StreamId id, byte[][] fieldsAndValues, boolean deleted) {
        Block block = blocks.get(blocks.size() - 1);
        if (deleted) {
            block.lastMs = id.ms();
            block.lastSeq = id.seq();
            block.tailDeleted = true;
            return;
        }
        int body = block.bodyBytes;
        block.add(id, fieldsAndValues, 0, fieldsAndValues.length / 2);
        block.bodyBytes = body;
        block.tailDeleted = false;
    }

    /**
     * Ends a load from a file with the stream's metadata. A block with no live entry stays, as
     * Redis keeps such a node when a file holds one (XINFO STREAM counts it).
     */
    public void loadMetadata(long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded) {
        if (!blocks.isEmpty()) {
            blocks.get(blocks.size() - 1).trim();
        }
        this.length = length;
        this.lastId = lastId;
        this.firstId = firstId;
        this.maxDeletedId = maxDeletedId;
        this.entriesAdded = entriesAdded;
    }

    // ---- consumer groups

    /** The group named {@code name}, or null. */
    public ConsumerGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** The groups in name order (a live view; empty when none). */
    public Map<byte[], ConsumerGroup> groups() {
        return groups == null ? Map.of() : groups;
    }

    /** Creates a group; null when one with that name exists. */
    public ConsumerGroup createGroup(byte[] name, StreamId last, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(BYTE_ORDER);
        }
        if (groups.containsKey(name)) {
            return null;
        }
        ConsumerGroup group = new ConsumerGroup(name, last, entriesRead);
        groups.put(name, group);
        return group;
    }

    /** Removes a group; false when there is none of that name. */
    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    /**
     * Whether an XDEL tombstone may lie in [{@code start}, end of stream] (streamRangeHasTombstones
     * with no end).
     */
    public boolean rangeHasTombstones(StreamId start) {
        if (length == 0 || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedId) > 0) {
            return false;
        }
        return start.compareTo(maxDeletedId) <= 0;
    }

    /**
     * The logical read counter of {@code id}: its distance from the first entry ever added, when
     * it can be known (streamEstimateDistanceFromFirstEverEntry), else {@link #INVALID_ENTRIES_READ}.
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return INVALID_ENTRIES_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return INVALID_ENTRIES_READ;
    }

    /** The group's lag (entries not yet delivered to it), or null when it cannot be known. */
    public Long lag(ConsumerGroup group) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (group.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(group.lastId)) {
            return entriesAdded - group.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(group.lastId);
        return read == INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    /** Advances {@code group} past a delivered entry {@code id}, keeping its read counter. */
    public void delivered(ConsumerGroup group, StreamId id) {
        if (id.compareTo(group.lastId) <= 0) {
            return;
        }
        if (group.entriesRead != INVALID_ENTRIES_READ && !rangeHasTombstones(id)) {
            group.entriesRead++;
        } else if (entriesAdded != 0) {
            group.entriesRead = estimateDistanceFromFirstEverEntry(id);
        }
        group.lastId = id;
    }

    /** A consumer group: last delivered ID, read counter, pending entries and consumers. */
    public static final class ConsumerGroup {
        public final byte[] name;
        public StreamId lastId;
        public long entriesRead;
        /** Every pending entry of the group, by ID. */
        public final TreeMap<StreamId, Nack> pel = new TreeMap<>();
        /** The consumers by name, in byte order. */
        public final TreeMap<byte[], Consumer> consumers = new TreeMap<>(BYTE_ORDER);

        ConsumerGroup(byte[] name, StreamId lastId, long entriesRead) {
            this.name = name;
            this.lastId = lastId;
            this.entriesRead = entriesRead;
        }

        /** Creates consumer {@code name} seen at {@code now}; null when it exists. */
        public Consumer createConsumer(byte[] name, long now) {
            if (consumers.containsKey(name)) {
                return null;
            }
            Consumer consumer = new Consumer(name, now);
            consumers.put(name, consumer);
            return consumer;
        }

        /** Deletes a consumer with its pending entries (from the group's PEL too); returns how many it had. */
        public int deleteConsumer(Consumer consumer) {
            int pending = consumer.pel.size();
            for (StreamId id : consumer.pel.keySet()) {
                pel.remove(id);
            }
            consumers.remove(consumer.name);
            return pending;
        }

        /** Acknowledges {@code id}: removes it from both PELs; false when it was not pending. */
        public boolean acknowledge(StreamId id) {
            Nack nack = pel.remove(id);
            if (nack == null) {
                return false;
            }
            if (nack.consumer != null) {
                nack.consumer.pel.remove(id);
            }
            return true;
        }

        /**
         * Makes {@code id} pending for {@code consumer} (delivered at {@code now}, once), taking
         * it from another consumer if it was pending already (after a SETID back).
         */
        public void deliver(StreamId id, Consumer consumer, long now) {
            Nack nack = pel.get(id);
            if (nack == null) {
                nack = new Nack(consumer, now);
                pel.put(id, nack);
            } else {
                if (nack.consumer != null) {
                    nack.consumer.pel.remove(id);
                }
                nack.consumer = consumer;
                nack.deliveryTime = now;
                nack.deliveryCount = 1;
            }
            consumer.pel.put(id, nack);
        }

        /** Moves a pending entry to {@code consumer}. */
        public void transfer(StreamId id, Nack nack, Consumer consumer) {
            if (nack.consumer != consumer) {
                if (nack.consumer != null) {
                    nack.consumer.pel.remove(id);
                }
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
        }
    }

    /** A consumer of a group: when it was last seen and last active, and the entries it owns. */
    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        /** When it last got entries (Redis 7.2's active-time), -1 for never. */
        public long activeTime = -1;
        public final TreeMap<StreamId, Nack> pel = new TreeMap<>();

        Consumer(byte[] name, long now) {
            this.name = name;
            this.seenTime = now;
        }
    }

    /** A pending entry: its owner, last delivery time and delivery count. */
    public static final class Nack {
        public Consumer consumer;
        public long deliveryTime;
        public long deliveryCount;

        public Nack(Consumer consumer, long now) {
            this.consumer = consumer;
            this.deliveryTime = now;
            this.deliveryCount = 1;
        }
    }

    // ---- CollectionValue

    @Override
    public StreamValue copy() {
        StreamValue copy = new StreamValue();
        for (Block block : blocks) {
            copy.blocks.add(new Block(block));
        }
        copy.length = length;
        copy.lastId = lastId;
        copy.firstId = firstId;
        copy.maxDeletedId = maxDeletedId;
        copy.entriesAdded = entriesAdded;
        if (groups != null) {
            for (ConsumerGroup group : groups.values()) {
                ConsumerGroup g = copy.createGroup(group.name, group.lastId, group.entriesRead);
                Map<Nack, Nack> copies = new IdentityHashMap<>();
                for (Consumer consumer : group.consumers.values()) {
                    Consumer c = g.createConsumer(consumer.name, consumer.seenTime);
                    c.activeTime = consumer.activeTime;
                    for (Map.Entry<StreamId, Nack> e : consumer.pel.entrySet()) {
                        Nack n = new Nack(c, e.getValue().deliveryTime);
                        n.deliveryCount = e.getValue().deliveryCount;
                        copies.put(e.getValue(), n);
                        c.pel.put(e.getKey(), n);
                    }
                }
                for (Map.Entry<StreamId, Nack> e : group.pel.entrySet()) {
                    Nack n = copies.get(e.getValue());
                    if (n == null) {
                        n = new Nack(null, e.getValue().deliveryTime);
                        n.deliveryCount = e.getValue().deliveryCount;
                    }
                    g.pel.put(e.getKey(), n);
                }
            }
        }
        return copy;
    }

    @Override
    public long memoryUsage(int samples) {
        long bytes = 80 + 16 + blocks.size() * 8L;
        for (Block block : blocks) {
            bytes += block.memoryUsage() + 48;
        }
        for (ConsumerGroup group : groups().values()) {
            bytes += 96 + group.name.length + group.pel.size() * 120L;
            for (Consumer consumer : group.consumers.values()) {
                bytes += 96 + consumer.name.length + consumer.pel.size() * 48L;
            }
        }
        return bytes;
    }

    /**
     * A run of entries in one listpack. Each entry is: flags, the ID's milliseconds and sequence
     * as deltas from the master ID, then either only the values (when the fields are the master
     * fields, flag {@link #SAME_FIELDS}) or the field count and the fields and values.
     */
    static final class Block extends Listpack {
        private static final int SAME_FIELDS = 2;
        static final int LISTPACK_HEADER_AND_END = 7;

        private final long masterMs;
        private final long masterSeq;
        final byte[][] masterFields;
        long lastMs;
        long lastSeq;
        int live;
        int deleted;
        /** Whether the last entry the block received is gone (so {@link #lastAppended} is not its last entry). */
        boolean tailDeleted;
        /** Redis's listpack bytes for this node, less its two counters (which change size as they grow). */
        int bodyBytes;

        Block(StreamId master, byte[][] fields) {
            this.masterMs = master.ms();
            this.masterSeq = master.seq();
            this.masterFields = fields;
            int body = redisSize(fields.length) + redisSize(0);
            for (byte[] field : fields) {
                body += redisSize(field);
            }
            this.bodyBytes = body;
        }

        Block(Block other) {
            super(other);
            this.masterMs = other.masterMs;
            this.masterSeq = other.masterSeq;
            this.masterFields = other.masterFields;
            this.lastMs = other.lastMs;
            this.lastSeq = other.lastSeq;
            this.live = other.live;
            this.deleted = other.deleted;
            this.bodyBytes = other.bodyBytes;
            this.tailDeleted = other.tailDeleted;
        }

        StreamId master() {
            return new StreamId(masterMs, masterSeq);
        }

        /** The ID of the last entry the block received, deleted or not. */
        StreamId lastAppended() {
            return new StreamId(lastMs, lastSeq);
        }

        /** The bytes Redis's listpack for this node would take. */
        long redisBytes() {
            return LISTPACK_HEADER_AND_END + bodyBytes + redisSize(live) + redisSize(deleted);
        }

        void add(StreamId id, byte[][] argv, int from, int pairs) {
            boolean same = pairs == masterFields.length;
            for (int i = 0; same && i < pairs; i++) {
                same = Arrays.equals(argv[from + 2 * i], masterFields[i]);
            }
            long msDelta = id.ms() - masterMs;
            long seqDelta = id.seq() - masterSeq;
            int flags = same ? SAME_FIELDS : 0;
            insert(end(), flags);
            insert(end(), msDelta);
            insert(end(), seqDelta);
            int elements = 3;
            int body = redisSize(flags) + redisSize(msDelta) + redisSize(seqDelta);
            if (!same) {
                insert(end(), pairs);
                body += redisSize(pairs);
                elements++;
            }
            for (int i = 0; i < pairs; i++) {
                if (!same) {
                    append(argv[from + 2 * i]);
                    body += redisSize(argv[from + 2 * i]);
                    elements++;
                }
                append(argv[from + 2 * i + 1]);
                body += redisSize(argv[from + 2 * i + 1]);
                elements++;
            }
            bodyBytes += body + redisSize(elements);
            lastMs = id.ms();
            lastSeq = id.seq();
            live++;
        }

        /** {@link #idAt}'s ID compared with {@code id}, without building it. */
        int compareIdAt(int p, StreamId id) {
            int msPosition = next(p);
            long ms = masterMs + integerAt(msPosition);
            int c = Long.compareUnsigned(ms, id.ms());
            return c != 0 ? c : Long.compareUnsigned(masterSeq + integerAt(next(msPosition)), id.seq());
        }

        StreamId idAt(int p) {
            int ms = next(p);
            return new StreamId(masterMs + integerAt(ms), masterSeq + integerAt(next(ms)));
        }

        /** How many listpack elements the entry at {@code p} takes. */
        int elementsAt(int p) {
            if ((integerAt(p) & SAME_FIELDS) != 0) {
                return 3 + masterFields.length;
            }
            int count = next(next(next(p)));
            return 4 + 2 * (int) integerAt(count);
        }

        /** The position of the entry after the one at {@code p}, or -1. */
        int skip(int p) {
            int n = elementsAt(p);
            for (int i = 0; i < n && p >= 0; i++) {
                p = next(p);
            }
            return p;
        }

        int lastEntry() {
            int last = -1;
            for (int p = first(); p >= 0; p = skip(p)) {
                last = p;
            }
            return last;
        }

        int[] positions() {
            int[] out = new int[live];
            int n = 0;
            for (int p = first(); p >= 0; p = skip(p)) {
                out[n++] = p;
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }

        byte[][] fieldsAt(int p) {
            boolean same = (integerAt(p) & SAME_FIELDS) != 0;
            p = next(next(next(p)));
            int pairs;
            if (same) {
                pairs = masterFields.length;
            } else {
                pairs = (int) integerAt(p);
                p = next(p);
            }
            byte[][] out = new byte[pairs * 2][];
            for (int i = 0; i < pairs; i++) {
                if (same) {
                    out[2 * i] = masterFields[i];
                } else {
                    out[2 * i] = bytesAt(p);
                    p = next(p);
                }
                out[2 * i + 1] = bytesAt(p);
                p = next(p);
            }
            return out;
        }

        /** Bytes Redis's listpack takes for the integer {@code v}. */
        static int redisSize(long v) {
            return PackedList.redisIntegerSize(v);
        }

        /** Bytes Redis's listpack takes for the string {@code s} (stored as an integer when it is one). */
        private static int redisSize(byte[] s) {
            return PackedList.redisEntrySize(s);
        }
    }
}
