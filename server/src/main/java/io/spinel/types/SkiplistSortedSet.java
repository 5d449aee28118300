package io.spinel.types;

import io.spinel.store.KeyTable;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The "skiplist" encoding of a sorted set (named as Redis names it): a dictionary of the members
 * plus an ordered index of the same members with their scores.
 *
 * <h2>Structure</h2>
 * Redis pairs a dict with a skiplist whose links carry spans, for O(log n) insert, delete, rank
 * and range. Here the ordered part is a counted B+ tree. A leaf holds up to 64 members and their
 * scores in two parallel arrays, in set order (score, then member bytes), and links to the leaves
 * before and after it for walks. An inner node holds up to 64 children, the number of members
 * under each, and each child's lower bound (a score and a member): every member under child i
 * sorts at or after bound i and before bound i + 1. A bound need not be a member any more: removals
 * leave bounds as they are, and a bound stays a correct dividing line. Rank descends once, adding
 * the counts of the children to the left; "how many members score below x" and the lex range ends
 * descend the same way, testing bounds instead of members.
 *
 * <p>Why not a binary tree: the treap that came before followed one link per level, about 2 ln n
 * dependent cache misses per insertion (23 at 100,000 members), and that walk was most of a
 * ZADD's CPU time. Here a lookup reads one node per level, three levels for 100,000 members and
 * four for a million, and the upper levels stay in cache.
 *
 * <p>A full node splits in two halves, except the last node of its level when the new entry goes
 * at its very end: then the new entry starts a node of its own, so members inserted in ascending
 * order (a load, a copy) fill their leaves. A node left with fewer than a quarter of its capacity
 * merges with a neighbour when both fit in one node, and otherwise takes entries from it.
 *
 * <p>The dictionary (a {@link KeyTable}) maps each member to the leaf that holds it. ZSCORE finds
 * the member's score there by scanning the leaf for the very array the dictionary holds (at most
 * 64 references, four cache lines). Members that move to another leaf (a split, a merge, evening
 * out) are pointed at it again: about one more dictionary probe per insertion.
 *
 * <h2>Memory</h2>
 * A member costs its byte array (shared by dictionary and leaf), its share of the dictionary's
 * arrays and 12 bytes in a leaf's arrays per slot (leaves filled at random are about 70% full):
 * no object of its own. The treap before it had a 32-byte node per member; a first version of the
 * tree kept each score boxed in the dictionary (16 bytes and one more object for the collector to
 * copy per member).
 */
public final class SkiplistSortedSet implements SortedSetValue {
    /** Entries (members, or children) a node holds at most. */
    private static final int NODE_CAPACITY = 64;

    /** A node: a leaf or an inner node. */
    private abstract static sealed class Node permits Leaf, Inner {
        /** The members (a leaf) or the children (an inner node) it holds. */
        int count;
    }

    /** Members and their scores, in set order. */
    private static final class Leaf extends Node {
        final double[] scores;
        final byte[][] members;
        Leaf previous;
        Leaf next;

        Leaf(int capacity) {
            scores = new double[capacity];
            members = new byte[capacity][];
        }
    }

    /** Children, the number of members under each, and each child's lower bound. */
    private static final class Inner extends Node {
        final Node[] children;
        final int[] sizes;
        final double[] boundScores;
        final byte[][] boundMembers;

        Inner(int capacity) {
            children = new Node[capacity];
            sizes = new int[capacity];
            boundScores = new double[capacity];
            boundMembers = new byte[capacity][];
        }
    }

    /** A test on (score, member) that holds for a leading run of the set order and then never. */
    @FunctionalInterface
    private interface LeadingTest {
        boolean test(double score, byte[] member);
    }

    private final int capacity;
    private final int minimum;
    /** Member to the leaf that holds it (and its score). */
    private final KeyTable dict = new KeyTable();
    private Node root;
    /** The leaf the last {@link #add} put its member into. */
    private Leaf landed;
    private int leaves = 1;
    private int inners;

    public SkiplistSortedSet() {
        this(NODE_CAPACITY);
    }

    /** A set whose nodes hold at most {@code capacity} entries (tests use small ones for deep trees). */
    SkiplistSortedSet(int capacity) {
        this.capacity = capacity;
        this.minimum = Math.max(1, capacity / 4);
        this.root = new Leaf(capacity);
    }

    @Override
    public String encoding() {
        return "skiplist";
    }

    @Override
    public SkiplistSortedSet copy() {
        SkiplistSortedSet copy = new SkiplistSortedSet(capacity);
        forEach(0, false, (member, score) -> {
            copy.insert(member, score);
            return true;
        });
        return copy;
    }

    @Override
    public long memoryUsage(int samples) {
        long memberBytes = 0;
        int seen = 0;
        // Sampled from the member table's first positions (as TableHash does).
        for (int p = dict.nextPosition(0); p >= 0 && (samples <= 0 || seen < samples); p = dict.nextPosition(p + 1)) {
            seen++;
            memberBytes += 16 + ((dict.keyAt(p).length + 12 + 7) & ~7);
        }
        if (seen > 0) {
            memberBytes = memberBytes * size() / seen;
        }
        long leafBytes = 32 + (16 + 8L * capacity) + (16 + 4L * capacity);
        long innerBytes = 32 + 2 * (16 + 4L * capacity) + (16 + 8L * capacity) + (16 + 4L * capacity);
        return 64 + memberBytes + size() * 20L + leaves * leafBytes + inners * innerBytes;
    }

    @Override
    public int size() {
        return dict.size();
    }

    /** Compares (score, member) with (otherScore, otherMember) in set order. */
    private static int compare(double score, byte[] member, double otherScore, byte[] otherMember) {
        if (score < otherScore) {
            return -1;
        }
        if (score > otherScore) {
            return 1;
        }
        return Arrays.compareUnsigned(member, otherMember);
    }

    /** The child of {@code node} whose range holds (score, member): the last whose bound is not after it. */
    private static int childFor(Inner node, double score, byte[] member) {
        int found = 0;
        int low = 1;
        int high = node.count - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (compare(score, member, node.boundScores[middle], node.boundMembers[middle]) >= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** The index of the first entry of {@code leaf} not before (score, member). */
    private static int lowerBound(Leaf leaf, double score, byte[] member) {
        int low = 0;
        int high = leaf.count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (compare(leaf.scores[middle], leaf.members[middle], score, member) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The members under {@code node}. */
    private static int total(Node node) {
        if (node instanceof Inner inner) {
            int sum = 0;
            for (int i = 0; i < inner.count; i++) {
                sum += inner.sizes[i];
            }
            return sum;
        }
        return node.count;
    }

    /**
     * The score of the member stored at dictionary position {@code p}: its leaf holds the very
     * array the dictionary holds, so a scan of the leaf's references finds it.
     */
    private double scoreAt(int p) {
        Leaf leaf = (Leaf) dict.valueAt(p);
        byte[] member = dict.keyAt(p);
        for (int i = 0; i < leaf.count; i++) {
            if (leaf.members[i] == member) {
                return leaf.scores[i];
            }
        }
        throw new IllegalStateException("a member's leaf does not hold it");
    }

    /** Points the dictionary entries of the members in [from, to) of {@code leaf}, just moved there, at it. */
    private void relink(Leaf leaf, int from, int to) {
        for (int i = from; i < to; i++) {
            dict.setValueAt(dict.find(leaf.members[i]), leaf);
        }
    }

    @Override
    public double score(byte[] member) {
        int p = dict.find(member);
        return p < 0 ? Double.NaN : scoreAt(p);
    }

    @Override
    public void insert(byte[] member, double score) {
        dict.insert(member, KeyTable.hashOf(member), add(score, member), 0);
    }

    @Override
    public void update(byte[] member, double score) {
        int p = dict.find(member);
        byte[] stored = dict.keyAt(p);
        delete(scoreAt(p), stored);
        // Moving other members between leaves changes only dictionary values: p stays valid.
        dict.setValueAt(p, add(score, stored));
    }

    @Override
    public boolean remove(byte[] member) {
        int p = dict.find(member);
        if (p < 0) {
            return false;
        }
        byte[] stored = dict.keyAt(p);
        double score = scoreAt(p);
        dict.removeAt(p);
        delete(score, stored);
        return true;
    }

    /**
     * Adds (score, member) to the tree, growing it a level when the root splits; returns the leaf
     * that holds it.
     */
    private Leaf add(double score, byte[] member) {
        Node split = add(root, score, member);
        if (split != null) {
            Inner top = new Inner(capacity);
            inners++;
            top.children[0] = root;
            top.sizes[0] = total(root);
            top.count = 1;
            insertChild(top, 1, split);
            root = top;
        }
        Leaf leaf = landed;
        landed = null; // a later merge may empty that leaf: the set keeps no other reference to it
        return leaf;
    }

    /**
     * Adds (score, member) under {@code node}, leaving the leaf it went into in {@link #landed};
     * returns the node split off after {@code node}, or null.
     */
    private Node add(Node node, double score, byte[] member) {
        if (node instanceof Leaf leaf) {
            int at = lowerBound(leaf, score, member);
            if (leaf.count < capacity) {
                insertEntry(leaf, at, score, member);
                landed = leaf;
                return null;
            }
            Leaf right = (Leaf) split(leaf, at == capacity && leaf.next == null ? capacity : capacity / 2);
            if (at <= leaf.count && leaf.count < capacity) {
                insertEntry(leaf, at, score, member);
                landed = leaf;
            } else {
                insertEntry(right, at - leaf.count, score, member);
                landed = right;
            }
            return right;
        }
        Inner inner = (Inner) node;
        int i = childFor(inner, score, member);
        Node split = add(inner.children[i], score, member);
        inner.sizes[i]++;
        if (split == null) {
            return null;
        }
        inner.sizes[i] = total(inner.children[i]);
        if (inner.count < capacity) {
            insertChild(inner, i + 1, split);
            return null;
        }
        boolean last = i + 1 == capacity && isLastOfLevel(split);
        Inner right = (Inner) split(inner, last ? capacity : capacity / 2);
        if (i + 1 <= inner.count && inner.count < capacity) {
            insertChild(inner, i + 1, split);
        } else {
            insertChild(right, i + 1 - inner.count, split);
        }
        return right;
    }

    /** Whether {@code node} is the last node of its level (its last leaf is the last leaf). */
    private static boolean isLastOfLevel(Node node) {
        Node last = node;
        while (last instanceof Inner inner) {
            last = inner.children[inner.count - 1];
        }
        return ((Leaf) last).next == null;
    }

    private static void insertEntry(Leaf leaf, int at, double score, byte[] member) {
        int moved = leaf.count - at;
        System.arraycopy(leaf.scores, at, leaf.scores, at + 1, moved);
        System.arraycopy(leaf.members, at, leaf.members, at + 1, moved);
        leaf.scores[at] = score;
        leaf.members[at] = member;
        leaf.count++;
    }

    /** Inserts {@code child} at index {@code at} of {@code node}, bounded below by its first entry. */
    private static void insertChild(Inner node, int at, Node child) {
        int moved = node.count - at;
        System.arraycopy(node.children, at, node.children, at + 1, moved);
        System.arraycopy(node.sizes, at, node.sizes, at + 1, moved);
        System.arraycopy(node.boundScores, at, node.boundScores, at + 1, moved);
        System.arraycopy(node.boundMembers, at, node.boundMembers, at + 1, moved);
        node.children[at] = child;
        node.sizes[at] = total(child);
        setBound(node, at, child);
        node.count++;
    }

    /** Makes the first entry of {@code child} (its lower bound, for an inner node) the bound at {@code at}. */
    private static void setBound(Inner node, int at, Node child) {
        if (child instanceof Leaf leaf) {
            node.boundScores[at] = leaf.scores[0];
            node.boundMembers[at] = leaf.members[0];
        } else {
            Inner inner = (Inner) child;
            node.boundScores[at] = inner.boundScores[0];
            node.boundMembers[at] = inner.boundMembers[0];
        }
    }

    /**
     * Moves the entries of {@code node} from {@code keep} on to a new node of its kind: a leaf is
     * linked after it; an inner node's bound 0 is the first moved child's bound (its lower bound).
     */
    private Node split(Node node, int keep) {
        Node right;
        if (node instanceof Leaf leaf) {
            Leaf next = new Leaf(capacity);
            leaves++;
            next.next = leaf.next;
            next.previous = leaf;
            if (leaf.next != null) {
                leaf.next.previous = next;
            }
            leaf.next = next;
            right = next;
        } else {
            right = new Inner(capacity);
            inners++;
        }
        Object[] from = arrays(node);
        Object[] to = arrays(right);
        for (int a = 0; a < from.length; a++) {
            System.arraycopy(from[a], keep, to[a], 0, node.count - keep);
            clear(from[a], keep, node.count);
        }
        right.count = node.count - keep;
        node.count = keep;
        if (right instanceof Leaf leaf) {
            relink(leaf, 0, leaf.count);
        }
        return right;
    }

    /** Removes (score, member), present, from the tree, lowering it a level when the root has one child. */
    private void delete(double score, byte[] member) {
        delete(root, score, member);
        while (root instanceof Inner inner && inner.count == 1) {
            root = inner.children[0];
            inners--;
        }
    }

    private void delete(Node node, double score, byte[] member) {
        if (node instanceof Leaf leaf) {
            int at = lowerBound(leaf, score, member);
            int moved = leaf.count - at - 1;
            System.arraycopy(leaf.scores, at + 1, leaf.scores, at, moved);
            System.arraycopy(leaf.members, at + 1, leaf.members, at, moved);
            leaf.members[--leaf.count] = null;
            return;
        }
        Inner inner = (Inner) node;
        int i = childFor(inner, score, member);
        Node child = inner.children[i];
        delete(child, score, member);
        inner.sizes[i]--;
        if (child.count < minimum && inner.count > 1) {
            rebalance(inner, i > 0 ? i - 1 : 0);
        }
    }

    /** Merges children k and k + 1 of {@code parent} when they fit in one node, else evens them out. */
    private void rebalance(Inner parent, int k) {
        Node left = parent.children[k];
        Node right = parent.children[k + 1];
        if (right instanceof Inner inner) {
            // Its first child takes the parent's bound for it, so that every child carries its own
            // bound while children move.
            inner.boundScores[0] = parent.boundScores[k + 1];
            inner.boundMembers[0] = parent.boundMembers[k + 1];
        }
        Object[] leftArrays = arrays(left);
        Object[] rightArrays = arrays(right);
        int total = left.count + right.count;
        if (total <= capacity) {
            for (int a = 0; a < leftArrays.length; a++) {
                System.arraycopy(rightArrays[a], 0, leftArrays[a], left.count, right.count);
                // The emptied node keeps nothing: a member still pointed at it would fail loudly.
                clear(rightArrays[a], 0, right.count);
            }
            int kept = left.count;
            left.count = total;
            if (left instanceof Leaf l) {
                relink(l, kept, total);
                Leaf r = (Leaf) right;
                l.next = r.next;
                if (r.next != null) {
                    r.next.previous = l;
                }
                leaves--;
            } else {
                inners--;
            }
            parent.sizes[k] += parent.sizes[k + 1];
            removeChild(parent, k + 1);
            return;
        }
        int target = total / 2;
        for (int a = 0; a < leftArrays.length; a++) {
            if (left.count > target) {
                int m = left.count - target;
                System.arraycopy(rightArrays[a], 0, rightArrays[a], m, right.count);
                System.arraycopy(leftArrays[a], target, rightArrays[a], 0, m);
                clear(leftArrays[a], target, left.count);
            } else {
                int m = target - left.count;
                System.arraycopy(rightArrays[a], 0, leftArrays[a], left.count, m);
                System.arraycopy(rightArrays[a], m, rightArrays[a], 0, right.count - m);
                clear(rightArrays[a], right.count - m, right.count);
            }
        }
        int leftBefore = left.count;
        left.count = target;
        right.count = total - target;
        if (left instanceof Leaf l) {
            if (leftBefore > target) {
                relink((Leaf) right, 0, leftBefore - target);
            } else {
                relink(l, leftBefore, target);
            }
        }
        int leftSize = total(left);
        parent.sizes[k + 1] += parent.sizes[k] - leftSize;
        parent.sizes[k] = leftSize;
        setBound(parent, k + 1, right);
    }

    /** The parallel arrays of {@code node}'s entries. */
    private static Object[] arrays(Node node) {
        if (node instanceof Leaf leaf) {
            return new Object[] {leaf.scores, leaf.members};
        }
        Inner inner = (Inner) node;
        return new Object[] {inner.children, inner.sizes, inner.boundScores, inner.boundMembers};
    }

    /** Drops the references in positions [from, to) of {@code array} if it holds references. */
    private static void clear(Object array, int from, int to) {
        if (array instanceof Object[] references) {
            Arrays.fill(references, from, to, null);
        }
    }

    private static void removeChild(Inner node, int at) {
        int moved = node.count - at - 1;
        System.arraycopy(node.children, at + 1, node.children, at, moved);
        System.arraycopy(node.sizes, at + 1, node.sizes, at, moved);
        System.arraycopy(node.boundScores, at + 1, node.boundScores, at, moved);
        System.arraycopy(node.boundMembers, at + 1, node.boundMembers, at, moved);
        node.count--;
        node.children[node.count] = null;
        node.boundMembers[node.count] = null;
    }

    @Override
    public long rank(byte[] member) {
        int p = dict.find(member);
        if (p < 0) {
            return -1;
        }
        double score = scoreAt(p);
        long rank = 0;
        Node node = root;
        while (node instanceof Inner inner) {
            int i = childFor(inner, score, member);
            for (int j = 0; j < i; j++) {
                rank += inner.sizes[j];
            }
            node = inner.children[i];
        }
        return rank + lowerBound((Leaf) node, score, member);
    }

    /** How many members, from the first, pass {@code leading}. */
    private long countLeading(LeadingTest leading) {
        long count = 0;
        Node node = root;
        while (node instanceof Inner inner) {
            int found = 0;
            int low = 1;
            int high = inner.count - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                if (leading.test(inner.boundScores[middle], inner.boundMembers[middle])) {
                    found = middle;
                    low = middle + 1;
                } else {
                    high = middle - 1;
                }
            }
            for (int j = 0; j < found; j++) {
                count += inner.sizes[j];
            }
            node = inner.children[found];
        }
        Leaf leaf = (Leaf) node;
        int low = 0;
        int high = leaf.count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (leading.test(leaf.scores[middle], leaf.members[middle])) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return count + low;
    }

    @Override
    public long countBelow(double score, boolean inclusive) {
        return inclusive ? countLeading((s, m) -> s <= score) : countLeading((s, m) -> s < score);
    }

    /** The leaf holding the member of rank {@code rank} (valid), and the member's index in it. */
    private record Place(Leaf leaf, int index) {
    }

    private Place place(long rank) {
        Node node = root;
        long left = rank;
        while (node instanceof Inner inner) {
            int i = 0;
            while (left >= inner.sizes[i]) {
                left -= inner.sizes[i];
                i++;
            }
            node = inner.children[i];
        }
        return new Place((Leaf) node, (int) left);
    }

    private byte[] memberAt(long rank) {
        Place place = place(rank);
        return place.leaf().members[place.index()];
    }

    /** Whether any member can lie in {@code range}: Redis's zslIsInLexRange. */
    private boolean mayContain(LexRange range) {
        return size() > 0 && !range.isEmpty() && range.aboveMin(memberAt(size() - 1L))
                && range.belowMax(memberAt(0));
    }

    @Override
    public long firstInLex(LexRange range) {
        if (!mayContain(range)) {
            return -1;
        }
        long first = countLeading((s, m) -> !range.aboveMin(m));
        return first < size() && range.belowMax(memberAt(first)) ? first : -1;
    }

    @Override
    public long lastInLex(LexRange range) {
        if (!mayContain(range)) {
            return -1;
        }
        long last = countLeading((s, m) -> range.belowMax(m)) - 1;
        return last >= 0 && range.aboveMin(memberAt(last)) ? last : -1;
    }

    @Override
    public void forEach(long rank, boolean reverse, EntryVisitor visitor) {
        if (rank < 0 || rank >= size()) {
            return;
        }
        Place place = place(rank);
        Leaf leaf = place.leaf();
        int i = place.index();
        while (leaf != null) {
            if (reverse) {
                for (; i >= 0; i--) {
                    if (!visitor.visit(leaf.members[i], leaf.scores[i])) {
                        return;
                    }
                }
                leaf = leaf.previous;
                i = leaf == null ? 0 : leaf.count - 1;
            } else {
                for (; i < leaf.count; i++) {
                    if (!visitor.visit(leaf.members[i], leaf.scores[i])) {
                        return;
                    }
                }
                leaf = leaf.next;
                i = 0;
            }
        }
    }

    @Override
    public void removeRange(long from, long to) {
        byte[][] members = new byte[(int) (to - from + 1)][];
        int[] n = {0};
        forEach(from, false, (member, score) -> {
            members[n[0]++] = member;
            return n[0] < members.length;
        });
        for (byte[] member : members) {
            remove(member);
        }
    }

    /**
     * Adds members to {@code out} from the dictionary's {@code cursor} on (ZSCAN), at least
     * {@code count} unless the scan ends; returns the next cursor, 0 when complete.
     */
    public long scan(long cursor, int count, Consumer<byte[]> out) {
        return dict.scan(cursor, count, out);
    }

    /** A member chosen uniformly at random. */
    public byte[] randomMember(java.util.random.RandomGenerator random) {
        return dict.randomKey(random);
    }
}
