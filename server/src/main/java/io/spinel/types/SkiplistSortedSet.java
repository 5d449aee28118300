package io.spinel.types;

import io.spinel.store.KeyTable;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The "skiplist" encoding of a sorted set (named as Redis names it): a member to node dictionary
 * plus an ordered tree of the same nodes.
 *
 * <h2>Structure</h2>
 * Redis pairs a dict with a skiplist whose links carry spans, for O(log n) insert, delete, rank
 * and range. Here the ordered part is a treap with subtree sizes (an order-statistic tree): each
 * node is one member with its score, two children and the size of its subtree; the heap priority
 * is the member's {@link KeyTable#hashOf hash}, so it costs no field, and the tree's shape is that
 * of a random binary search tree (expected depth about 2 ln n). Rank and "how many score below x"
 * descend once, adding left subtree sizes; walks from a rank keep the path on a small stack.
 * The dictionary is a {@link KeyTable} from member to node, so ZSCORE is one probe, and ZSCAN
 * gets KeyTable's resize-proof cursors.
 *
 * <h2>Memory</h2>
 * A member costs its byte array (shared by dictionary and node), one 32-byte node (with compact
 * object headers) and its share of the dictionary's arrays: no per-level link arrays and no boxed
 * score, which is where a skiplist spends its bytes.
 */
public final class SkiplistSortedSet implements SortedSetValue {
    /** One member: its score, the treap links and the size of the subtree it roots. */
    private static final class Node {
        final byte[] member;
        double score;
        Node left;
        Node right;
        int size = 1;

        Node(byte[] member, double score) {
            this.member = member;
            this.score = score;
        }
    }

    private final KeyTable dict = new KeyTable();
    private Node root;

    @Override
    public String encoding() {
        return "skiplist";
    }

    @Override
    public SkiplistSortedSet copy() {
        SkiplistSortedSet copy = new SkiplistSortedSet();
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
        // Sampled from the member table's first positions (as TableHash does): a walk down the
        // tree to its first members cost a ZADD on a large set more than its own insertion.
        for (int p = dict.nextPosition(0); p >= 0 && (samples <= 0 || seen < samples); p = dict.nextPosition(p + 1)) {
            seen++;
            memberBytes += 16 + ((dict.keyAt(p).length + 12 + 7) & ~7);
        }
        if (seen > 0) {
            memberBytes = memberBytes * size() / seen;
        }
        return 64 + memberBytes + size() * (32L + 20);
    }

    @Override
    public int size() {
        return dict.size();
    }

    private static int size(Node node) {
        return node == null ? 0 : node.size;
    }

    private static int priority(Node node) {
        return KeyTable.hashOf(node.member);
    }

    /** Compares ({@code score}, {@code member}) with the node's pair in set order. */
    private static int compare(double score, byte[] member, Node node) {
        if (score < node.score) {
            return -1;
        }
        if (score > node.score) {
            return 1;
        }
        return Arrays.compareUnsigned(member, node.member);
    }

    private Node node(byte[] member) {
        int p = dict.find(member);
        return p < 0 ? null : (Node) dict.valueAt(p);
    }

    @Override
    public double score(byte[] member) {
        Node node = node(member);
        return node == null ? Double.NaN : node.score;
    }

    @Override
    public void insert(byte[] member, double score) {
        Node node = new Node(member, score);
        dict.insert(member, KeyTable.hashOf(member), node, 0);
        root = insert(root, node, priority(node));
    }

    /**
     * Inserts {@code x} into the subtree {@code t}; returns the subtree's new root. Only the new
     * node can break the heap order, and only while it is the child just returned, so priorities
     * are computed on the levels where it rotates up and on no other.
     *
     * <p>A link is stored only when it changes: on every level of the path it does not, and a
     * reference store into an old node costs G1 a write barrier with a memory fence (the same
     * holds in {@link #delete}).
     */
    private static Node insert(Node t, Node x, int priority) {
        if (t == null) {
            return x;
        }
        t.size++;
        if (compare(x.score, x.member, t) < 0) {
            Node left = insert(t.left, x, priority);
            if (left != t.left) {
                t.left = left;
                if (left == x && priority > priority(t)) {
                    t = rotateRight(t);
                }
            }
        } else {
            Node right = insert(t.right, x, priority);
            if (right != t.right) {
                t.right = right;
                if (right == x && priority > priority(t)) {
                    t = rotateLeft(t);
                }
            }
        }
        return t;
    }

    private static Node rotateRight(Node t) {
        Node l = t.left;
        t.left = l.right;
        l.right = t;
        l.size = t.size;
        t.size = size(t.left) + size(t.right) + 1;
        return l;
    }

    private static Node rotateLeft(Node t) {
        Node r = t.right;
        t.right = r.left;
        r.left = t;
        r.size = t.size;
        t.size = size(t.left) + size(t.right) + 1;
        return r;
    }

    /** Removes the node with {@code score} and {@code member} (present) from the subtree {@code t}. */
    private static Node delete(Node t, double score, byte[] member) {
        int c = compare(score, member, t);
        if (c == 0) {
            return merge(t.left, t.right);
        }
        t.size--;
        if (c < 0) {
            Node left = delete(t.left, score, member);
            if (left != t.left) {
                t.left = left;
            }
        } else {
            Node right = delete(t.right, score, member);
            if (right != t.right) {
                t.right = right;
            }
        }
        return t;
    }

    /** Joins two subtrees whose every key in {@code a} sorts before every key in {@code b}. */
    private static Node merge(Node a, Node b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (priority(a) > priority(b)) {
            a.size += b.size;
            a.right = merge(a.right, b);
            return a;
        }
        b.size += a.size;
        b.left = merge(a, b.left);
        return b;
    }

    @Override
    public void update(byte[] member, double score) {
        Node node = node(member);
        root = delete(root, node.score, member);
        node.score = score;
        node.left = null;
        node.right = null;
        node.size = 1;
        root = insert(root, node, priority(node));
    }

    @Override
    public boolean remove(byte[] member) {
        int p = dict.find(member);
        if (p < 0) {
            return false;
        }
        Node node = (Node) dict.valueAt(p);
        dict.removeAt(p);
        root = delete(root, node.score, member);
        return true;
    }

    @Override
    public long rank(byte[] member) {
        Node node = node(member);
        if (node == null) {
            return -1;
        }
        long rank = 0;
        for (Node t = root; t != null; ) {
            int c = compare(node.score, member, t);
            if (c < 0) {
                t = t.left;
            } else if (c > 0) {
                rank += size(t.left) + 1;
                t = t.right;
            } else {
                return rank + size(t.left);
            }
        }
        throw new IllegalStateException("member in the dictionary but not in the tree");
    }

    @Override
    public long countBelow(double score, boolean inclusive) {
        long count = 0;
        for (Node t = root; t != null; ) {
            if (t.score < score || (inclusive && t.score == score)) {
                count += size(t.left) + 1;
                t = t.right;
            } else {
                t = t.left;
            }
        }
        return count;
    }

    private Node nodeAt(long rank) {
        Node t = root;
        while (t != null) {
            int ls = size(t.left);
            if (rank < ls) {
                t = t.left;
            } else if (rank == ls) {
                return t;
            } else {
                rank -= ls + 1;
                t = t.right;
            }
        }
        return null;
    }

    /** Whether any member can lie in {@code range}: Redis's zslIsInLexRange. */
    private boolean mayContain(LexRange range) {
        return root != null && !range.isEmpty() && range.aboveMin(nodeAt(size() - 1).member)
                && range.belowMax(nodeAt(0).member);
    }

    @Override
    public long firstInLex(LexRange range) {
        if (!mayContain(range)) {
            return -1;
        }
        long rank = 0;
        long found = -1;
        Node candidate = null;
        for (Node t = root; t != null; ) {
            if (range.aboveMin(t.member)) {
                candidate = t;
                found = rank + size(t.left);
                t = t.left;
            } else {
                rank += size(t.left) + 1;
                t = t.right;
            }
        }
        return candidate != null && range.belowMax(candidate.member) ? found : -1;
    }

    @Override
    public long lastInLex(LexRange range) {
        if (!mayContain(range)) {
            return -1;
        }
        long rank = 0;
        long found = -1;
        Node candidate = null;
        for (Node t = root; t != null; ) {
            if (range.belowMax(t.member)) {
                candidate = t;
                found = rank + size(t.left);
                rank += size(t.left) + 1;
                t = t.right;
            } else {
                t = t.left;
            }
        }
        return candidate != null && range.aboveMin(candidate.member) ? found : -1;
    }

    @Override
    public void forEach(long rank, boolean reverse, EntryVisitor visitor) {
        if (rank < 0 || rank >= size()) {
            return;
        }
        Node[] stack = new Node[16];
        int depth = 0;
        long k = rank;
        for (Node t = root; t != null; ) {
            int ls = size(t.left);
            if (k < ls) {
                if (!reverse) {
                    stack = push(stack, depth++, t);
                }
                t = t.left;
            } else if (k == ls) {
                stack = push(stack, depth++, t);
                break;
            } else {
                if (reverse) {
                    stack = push(stack, depth++, t);
                }
                k -= ls + 1;
                t = t.right;
            }
        }
        while (depth > 0) {
            Node node = stack[--depth];
            if (!visitor.visit(node.member, node.score)) {
                return;
            }
            for (Node t = reverse ? node.left : node.right; t != null; t = reverse ? t.right : t.left) {
                stack = push(stack, depth++, t);
            }
        }
    }

    private static Node[] push(Node[] stack, int depth, Node node) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth] = node;
        return stack;
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
