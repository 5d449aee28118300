package io.spinel.types;

/**
 * A read-only walk over a list's elements in either direction, node by node: what LRANGE and
 * LPOS iterate with. The list must not change while a cursor is in use.
 */
public final class ListCursor {
    private final ListValue list;
    private final boolean forward;
    private int nodeIndex;
    private PackedList node;
    private int position;

    ListCursor(ListValue list, long index, boolean forward) {
        this.list = list;
        this.forward = forward;
        long i = index < 0 ? index + list.length() : index;
        if (list instanceof QuickList quick) {
            long at = quick.locate(i);
            nodeIndex = (int) (at >>> 32);
            node = quick.node(nodeIndex);
            position = node.position((int) at);
        } else {
            node = list.node(0);
            position = node.position(i);
        }
    }

    /** Whether the cursor is on an element (false once it moved past an end). */
    public boolean valid() {
        return position >= 0;
    }

    /** The current element's bytes. */
    public byte[] bytes() {
        return node.bytesAt(position);
    }

    /** Whether the current element is stored as an integer (then {@link #bytes} formats it). */
    public boolean isInteger() {
        return node.isInteger(position);
    }

    /**
     * The array holding the current element's bytes, when it is a string, for writing them
     * without a copy: they are {@link #stringLength} bytes from {@link #stringOffset}. Valid
     * until the cursor moves; never to be modified.
     */
    public byte[] stringArray() {
        return node.entries();
    }

    /** Where the current string element starts in {@link #stringArray}. */
    public int stringOffset() {
        return node.stringStart(position);
    }

    /** The current element's length in bytes. */
    public int stringLength() {
        return node.valueLength(position);
    }

    /** Whether the current element equals {@code value}. */
    public boolean matches(byte[] value) {
        return node.matches(position, value);
    }

    /** Moves to the next element in the cursor's direction. */
    public void advance() {
        position = forward ? node.next(position) : node.prev(position);
        if (position >= 0) {
            return;
        }
        nodeIndex += forward ? 1 : -1;
        if (nodeIndex >= 0 && nodeIndex < list.nodeCount()) {
            node = list.node(nodeIndex);
            position = forward ? node.first() : node.last();
        }
    }
}
