package io.spinel.types;

/**
 * A large list: a sequence of listpack nodes ({@link PackedList}), Redis's "quicklist".
 *
 * <h2>Structure</h2>
 * Redis links its nodes in a doubly linked list; here they sit in an array with free room at
 * both ends, so that a node is added at either end in amortised O(1) and node {@code i} is found
 * without chasing pointers. A node in the middle is added or removed with an array copy of node
 * references, which is cheap next to the listpack work it comes with. Pushes and pops touch one
 * end node: O(1) apart from the node's own memmove, as in Redis. Access by index skips whole
 * nodes by their counts from the nearer end: O(nodes), as in Redis.
 *
 * <h2>Node fill</h2>
 * The fill (list-max-listpack-size) is fixed when the list is created, as Redis's quicklist keeps
 * its own. A node takes another element while the estimate Redis makes (node bytes + element
 * bytes + 8) stays within the fill; where Redis inserts in the middle of a full node, it is split
 * and neighbours are merged back by Redis's rules, so that node boundaries (which decide when a
 * list turns back into a listpack) follow Redis's.
 *
 * <h2>Compression</h2>
 * With list-compress-depth d (fixed at creation, as Redis's quicklist keeps its own), every node
 * farther than d nodes from both ends is kept deflated ({@link PackedList#compress}; Redis uses
 * LZF, the idea is the same). Changes decompress the nodes they work on in place, then put
 * nodes back in their state: near the ends after a push, pop or trim, everywhere after a change
 * in the middle. Reads decompress into a temporary copy and leave the node as it is.
 */
public final class QuickList implements ListValue {
    /** Redis's over-estimate of the bytes an entry adds to a node (SIZE_ESTIMATE_OVERHEAD). */
    private static final int ENTRY_OVERHEAD = 8;
    /** The largest packed threshold Redis takes: just under 4 GB. */
    private static final long MAX_PACKED_THRESHOLD = (1L << 32) - (1L << 20);
    /**
     * DEBUG QUICKLIST-PACKED-THRESHOLD: when not 0, an element of at least this many bytes gets
     * a plain node whatever the fill (Redis's packed_threshold, a test hook). One per JVM, shared
     * by every server in it, as Redis's is one per process.
     */
    private static volatile long packedThreshold;

    private PackedList[] nodes;
    private int first;
    private int nodeCount;
    private long count;
    private final int fill;
    /** list-compress-depth when the list was created: how many nodes at each end stay uncompressed (0: all). */
    private final int compressDepth;

    private QuickList(int fill, int compressDepth, int capacity) {
        this.fill = fill;
        this.compressDepth = compressDepth;
        this.nodes = new PackedList[capacity];
        this.first = capacity / 2;
    }

    /** A quicklist whose first node is {@code listpack} (taken, not copied); an empty one has no node. */
    static QuickList of(PackedList listpack, int fill, int compressDepth) {
        QuickList list = new QuickList(fill, compressDepth, 8);
        if (listpack.size() > 0) {
            list.nodes[list.first] = listpack;
            list.nodeCount = 1;
            list.count = listpack.size();
        }
        return list;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public QuickList copy() {
        QuickList copy = new QuickList(fill, compressDepth, Math.max(8, nodeCount * 2));
        copy.first = (copy.nodes.length - nodeCount) / 2;
        for (int i = 0; i < nodeCount; i++) {
            copy.nodes[copy.first + i] = at(i).copy();
        }
        copy.nodeCount = nodeCount;
        copy.count = count;
        copy.settleAll();
        return copy;
    }

    @Override
    public long memoryUsage(int samples) {
        long size = 16 + 48 + 16 + 8L * nodes.length;
        if (nodeCount == 0) {
            return size;
        }
        int sampled = samples == 0 ? nodeCount : Math.min(samples, nodeCount);
        long nodeBytes = 0;
        for (int i = 0; i < sampled; i++) {
            nodeBytes += at(i).memoryUsage();
        }
        return size + nodeBytes * nodeCount / sampled;
    }

    @Override
    public long length() {
        return count;
    }

    @Override
    public int nodeCount() {
        return nodeCount;
    }

    /**
     * Sets the packed threshold ({@link #packedThreshold}; 0 turns it off); false, changing
     * nothing, when {@code bytes} is above 4 GB less 1 MB, as Redis refuses.
     */
    public static boolean setPackedThreshold(long bytes) {
        if (bytes < 0 || bytes > MAX_PACKED_THRESHOLD) {
            return false;
        }
        packedThreshold = bytes;
        return true;
    }

    /** Whether an element of {@code length} bytes needs a node of its own (Redis's isLargeElement). */
    private static boolean isLarge(long length, int fill) {
        long threshold = packedThreshold;
        return threshold != 0 ? length >= threshold : ListValue.exceedsNodeLimitAlone(length, fill);
    }

    /** list-max-listpack-size when the list was created (DEBUG OBJECT's ql_listpack_max). */
    public int fill() {
        return fill;
    }

    /** list-compress-depth when the list was created; 0: no node is compressed. */
    public int compressDepth() {
        return compressDepth;
    }

    /**
     * The nodes' sizes in Redis's listpack format, compressed ones included (DEBUG OBJECT's
     * ql_uncompressed_size; a plain node counts as a listpack of its one element).
     */
    public long uncompressedBytes() {
        long bytes = 0;
        for (int i = 0; i < nodeCount; i++) {
            bytes += at(i).redisBytes();
        }
        return bytes;
    }

    @Override
    public PackedList node(int index) {
        return at(index).readable();
    }

    /**
     * DEBUG QUICKLIST's description: the list's figures and one line per node (entries, size in
     * Redis's listpack format, plain, compressed), and with {@code full} the entries of each node
     * not stored compressed.
     */
    public String repr(boolean full) {
        StringBuilder out = new StringBuilder("{quicklist} count: ").append(count).append(", nodes: ").append(nodeCount)
                .append(", fill: ").append(fill).append(", compress depth: ").append(compressDepth).append('\n');
        for (int i = 0; i < nodeCount; i++) {
            PackedList node = at(i);
            out.append("{node ").append(i).append("} entries: ").append(node.size()).append(", bytes: ").append(node.redisBytes())
                    .append(", plain: ").append(node.plain() ? 1 : 0).append(", compressed: ").append(node.compressed() ? 1 : 0).append('\n');
            if (full && !node.compressed()) {
                out.append(node.repr());
            }
        }
        return out.toString();
    }

    /** Whether node {@code index} is stored compressed (for tests). */
    boolean isCompressed(int index) {
        return at(index).compressed();
    }

    /** Node {@code index} as stored: when compressed, only its size figures may be read. */
    private PackedList at(int index) {
        return nodes[first + index];
    }

    /** Node {@code index} decompressed in place, for a change or a search; {@link #settle} recompresses. */
    private PackedList raw(int index) {
        PackedList node = nodes[first + index];
        node.decompress();
        return node;
    }

    // ---- compression

    /**
     * Puts the nodes near the ends into the state the compress depth asks for: after a push,
     * pop or trim only the nodes within depth + 1 of an end can have changed places.
     */
    private void settleEnds() {
        if (compressDepth == 0) {
            return;
        }
        for (int i = 0; i <= compressDepth && i < nodeCount; i++) {
            settle(i);
        }
        for (int i = Math.max(0, nodeCount - 1 - compressDepth); i < nodeCount; i++) {
            settle(i);
        }
    }

    /** Puts every node into the state the compress depth asks for, after a change anywhere. */
    private void settleAll() {
        if (compressDepth == 0) {
            return;
        }
        for (int i = 0; i < nodeCount; i++) {
            settle(i);
        }
    }

    /** Compresses node {@code index} when it is farther than the depth from both ends, else decompresses it. */
    private void settle(int index) {
        if (index >= compressDepth && index < nodeCount - compressDepth) {
            at(index).compress();
        } else {
            at(index).decompress();
        }
    }

    // ---- ends

    @Override
    public void push(boolean head, byte[] value) {
        pushNode(head, value);
        settleEnds();
    }

    private void pushNode(boolean head, byte[] value) {
        count++;
        if (isLarge(value.length, fill)) {
            PackedList plain = new PackedList();
            plain.plain(true);
            plain.insertAt(0, value);
            addNode(head ? 0 : nodeCount, plain);
            return;
        }
        PackedList end = nodeCount == 0 ? null : raw(head ? 0 : nodeCount - 1);
        if (end == null || !allowsInsert(end, value.length)) {
            end = new PackedList();
            addNode(head ? 0 : nodeCount, end);
        }
        end.insertAt(head ? 0 : end.end(), value);
    }

    @Override
    public byte[] pop(boolean head) {
        byte[] value = popNode(head);
        settleEnds();
        return value;
    }

    private byte[] popNode(boolean head) {
        if (nodeCount == 0) {
            return null;
        }
        int index = head ? 0 : nodeCount - 1;
        PackedList node = raw(index);
        byte[] value = node.pop(head);
        count--;
        if (node.size() == 0) {
            removeNode(index);
        }
        return value;
    }

    // ---- by index

    /**
     * The node holding element {@code index} (0-based from the head, in range) in the high 32
     * bits and the element's offset in that node in the low ones; walks nodes from the nearer end.
     */
    long locate(long index) {
        if (index < count / 2) {
            for (int i = 0; ; i++) {
                int size = at(i).size();
                if (index < size) {
                    return ((long) i << 32) | index;
                }
                index -= size;
            }
        }
        long fromTail = count - 1 - index;
        for (int i = nodeCount - 1; ; i--) {
            int size = at(i).size();
            if (fromTail < size) {
                return ((long) i << 32) | (size - 1 - fromTail);
            }
            fromTail -= size;
        }
    }

    private long normalize(long index) {
        long i = index < 0 ? index + count : index;
        return i < 0 || i >= count ? -1 : i;
    }

    @Override
    public byte[] index(long index) {
        long i = normalize(index);
        if (i < 0) {
            return null;
        }
        long at = locate(i);
        PackedList node = node((int) (at >>> 32));
        return node.bytesAt(node.position((int) at));
    }

    @Override
    public boolean set(long index, byte[] value) {
        boolean replaced = setNode(index, value);
        settleAll();
        return replaced;
    }

    private boolean setNode(long index, byte[] value) {
        long i = normalize(index);
        if (i < 0) {
            return false;
        }
        long at = locate(i);
        int nodeIndex = (int) (at >>> 32);
        int offset = (int) at;
        PackedList node = raw(nodeIndex);
        int position = node.position(offset);
        boolean large = isLarge(value.length, fill);
        if (!node.plain() && !large && !ListValue.exceedsLimit(fill,
                node.redisBytes() - PackedList.redisEntrySize(node, position) + PackedList.redisEntrySize(value),
                node.size())) {
            node.replaceAt(position, value);
            return true;
        }
        if (node.plain() && large) {
            node.replaceAt(position, value);
            return true;
        }
        // The node cannot take the new value in place: it goes into a node of its own after the
        // replaced element, which is then deleted, and the new node merges with its neighbours.
        if (offset != node.size() - 1) {
            addNode(nodeIndex + 1, splitAfter(node, offset));
        }
        PackedList fresh = new PackedList();
        fresh.plain(large);
        fresh.insertAt(0, value);
        addNode(nodeIndex + 1, fresh);
        node.deleteAt(node.last());
        if (node.size() == 0) {
            removeNode(nodeIndex);
            nodeIndex--;
        }
        if (!large) {
            mergeAround(nodeIndex + 1);
        }
        return true;
    }

    @Override
    public boolean insert(byte[] pivot, byte[] value, boolean after) {
        boolean inserted = insertNode(pivot, value, after);
        settleAll();
        return inserted;
    }

    private boolean insertNode(byte[] pivot, byte[] value, boolean after) {
        for (int i = 0; i < nodeCount; i++) {
            PackedList node = raw(i);
            int position = node.find(node.first(), pivot, 1);
            if (position >= 0) {
                insertNear(i, node, position, value, after);
                count++;
                return true;
            }
        }
        return false;
    }

    /** Inserts {@code value} next to the entry at {@code position} of node {@code index}; Redis's _quicklistInsert. */
    private void insertNear(int index, PackedList node, int position, byte[] value, boolean after) {
        int offset = offsetOf(node, position);
        boolean full = node.plain() || !allowsInsert(node, value.length);
        boolean atTail = after && offset == node.size() - 1;
        boolean atHead = !after && offset == 0;
        PackedList next = index + 1 < nodeCount ? raw(index + 1) : null;
        PackedList prev = index > 0 ? raw(index - 1) : null;
        if (isLarge(value.length, fill)) {
            PackedList plain = new PackedList();
            plain.plain(true);
            plain.insertAt(0, value);
            if (atTail || atHead || node.plain()) {
                addNode(after ? index + 1 : index, plain);
            } else {
                addNode(index + 1, splitAfter(node, after ? offset : offset - 1));
                addNode(index + 1, plain);
            }
            return;
        }
        if (!full) {
            node.insertAt(after ? nextOrEnd(node, position) : position, value);
        } else if (atTail && next != null && !next.plain() && allowsInsert(next, value.length)) {
            next.insertAt(0, value);
        } else if (atHead && prev != null && !prev.plain() && allowsInsert(prev, value.length)) {
            prev.insertAt(prev.end(), value);
        } else if (atTail || atHead) {
            PackedList fresh = new PackedList();
            fresh.insertAt(0, value);
            addNode(after ? index + 1 : index, fresh);
        } else {
            PackedList split;
            if (after) {
                split = splitAfter(node, offset);
                split.insertAt(0, value);
                addNode(index + 1, split);
            } else {
                split = splitBefore(node, offset);
                split.insertAt(split.end(), value);
                addNode(index, split);
                index++;
            }
            mergeAround(index);
        }
    }

    @Override
    public long remove(byte[] value, long limit) {
        long removed = removeNodes(value, limit);
        settleAll();
        return removed;
    }

    private long removeNodes(byte[] value, long limit) {
        long removed = 0;
        long wanted = ListValue.removalLimit(limit);
        if (limit >= 0) {
            for (int i = 0; i < nodeCount && removed < wanted; ) {
                PackedList node = raw(i);
                int p = node.first();
                while (p >= 0 && p < node.end() && removed < wanted) {
                    if (node.matches(p, value)) {
                        p = node.deleteAt(p);
                        removed++;
                    } else {
                        p = node.next(p);
                    }
                }
                if (node.size() == 0) {
                    removeNode(i);
                } else {
                    i++;
                }
            }
        } else {
            for (int i = nodeCount - 1; i >= 0 && removed < wanted; i--) {
                PackedList node = raw(i);
                int p = node.last();
                while (p >= 0 && removed < wanted) {
                    int previous = node.prev(p);
                    if (node.matches(p, value)) {
                        node.deleteAt(p);
                        removed++;
                    }
                    p = previous;
                }
                if (node.size() == 0) {
                    removeNode(i);
                }
            }
        }
        count -= removed;
        return removed;
    }

    @Override
    public void trim(long fromHead, long fromTail) {
        count -= fromHead + fromTail;
        while (fromHead > 0 && fromHead >= at(0).size()) {
            fromHead -= at(0).size();
            removeNode(0);
        }
        for (long i = 0; i < fromHead; i++) {
            raw(0).deleteAt(0);
        }
        while (fromTail > 0 && fromTail >= at(nodeCount - 1).size()) {
            fromTail -= at(nodeCount - 1).size();
            removeNode(nodeCount - 1);
        }
        PackedList tail = nodeCount == 0 ? null : raw(nodeCount - 1);
        for (long i = 0; i < fromTail; i++) {
            tail.deleteAt(tail.last());
        }
        settleEnds();
    }

    // ---- nodes

    private boolean allowsInsert(PackedList node, int length) {
        return !node.plain() && !ListValue.exceedsLimit(fill, (long) node.redisBytes() + length + ENTRY_OVERHEAD, node.size() + 1L);
    }

    private boolean allowsMerge(PackedList a, PackedList b) {
        return !a.plain() && !b.plain()
                && !ListValue.exceedsLimit(fill, (long) a.redisBytes() + b.redisBytes() - PackedList.EMPTY_BYTES, (long) a.size() + b.size());
    }

    /** Merges the node at {@code center} with its neighbours where they fit together; Redis's _quicklistMergeNodes. */
    private void mergeAround(int center) {
        if (center >= 2 && allowsMerge(at(center - 2), at(center - 1))) {
            mergeInto(center - 2);
            center--;
        }
        if (center >= 1 && allowsMerge(at(center - 1), at(center))) {
            mergeInto(center - 1);
            center--;
        }
        if (center + 2 < nodeCount && allowsMerge(at(center + 1), at(center + 2))) {
            mergeInto(center + 1);
        }
        if (center + 1 < nodeCount && allowsMerge(at(center), at(center + 1))) {
            mergeInto(center);
        }
    }

    /** Appends node {@code index + 1}'s entries to node {@code index} and removes it. */
    private void mergeInto(int index) {
        PackedList target = raw(index);
        PackedList source = raw(index + 1);
        for (int p = source.first(); p >= 0; p = source.next(p)) {
            target.insertAt(target.end(), source.bytesAt(p));
        }
        removeNode(index + 1);
    }

    /** Moves the entries after {@code offset} out of {@code node} into a new node, which it returns. */
    private static PackedList splitAfter(PackedList node, int offset) {
        PackedList split = new PackedList();
        int p = node.position(offset + 1);
        while (p >= 0 && p < node.end()) {
            split.insertAt(split.end(), node.bytesAt(p));
            p = node.deleteAt(p);
        }
        return split;
    }

    /** Moves the entries before {@code offset} out of {@code node} into a new node, which it returns. */
    private static PackedList splitBefore(PackedList node, int offset) {
        PackedList split = new PackedList();
        for (int i = 0; i < offset; i++) {
            split.insertAt(split.end(), node.bytesAt(0));
            node.deleteAt(0);
        }
        return split;
    }

    private static int nextOrEnd(PackedList node, int position) {
        int next = node.next(position);
        return next < 0 ? node.end() : next;
    }

    private static int offsetOf(PackedList node, int position) {
        int offset = 0;
        for (int p = node.first(); p != position; p = node.next(p)) {
            offset++;
        }
        return offset;
    }

    /** Adds {@code node} so that it becomes node {@code index}. */
    private void addNode(int index, PackedList node) {
        if (index == 0 && first > 0) {
            nodes[--first] = node;
            nodeCount++;
            return;
        }
        if (first + nodeCount == nodes.length || (index == 0 && first == 0)) {
            int capacity = Math.max(8, (nodeCount + 1) * 2);
            PackedList[] grown = new PackedList[capacity];
            int start = (capacity - nodeCount) / 2;
            System.arraycopy(nodes, first, grown, start, nodeCount);
            nodes = grown;
            first = start;
            if (index == 0) {
                nodes[--first] = node;
                nodeCount++;
                return;
            }
        }
        int at = first + index;
        System.arraycopy(nodes, at, nodes, at + 1, nodeCount - index);
        nodes[at] = node;
        nodeCount++;
    }

    private void removeNode(int index) {
        int at = first + index;
        if (index == 0) {
            nodes[first++] = null;
        } else {
            System.arraycopy(nodes, at + 1, nodes, at, nodeCount - index - 1);
            nodes[first + nodeCount - 1] = null;
        }
        nodeCount--;
        if (nodeCount == 0) {
            first = nodes.length / 2;
        } else if (nodes.length > 64 && nodeCount < nodes.length / 4) {
            PackedList[] shrunk = new PackedList[nodeCount * 2];
            int start = nodeCount / 2;
            System.arraycopy(nodes, first, shrunk, start, nodeCount);
            nodes = shrunk;
            first = start;
        }
    }
}
