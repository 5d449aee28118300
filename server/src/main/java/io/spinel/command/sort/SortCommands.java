package io.spinel.command.sort;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.LockMode;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.types.HashValue;
import io.spinel.types.ListCursor;
import io.spinel.types.ListValue;
import io.spinel.types.PackedList;
import io.spinel.types.PackedSortedSet;
import io.spinel.types.SetValue;
import io.spinel.types.SkiplistSortedSet;
import io.spinel.types.SortedSetValue;
import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's sort.c): the elements of a list, set or sorted set, sorted by their
 * own value or by values found through a key pattern, optionally limited, mapped through GET
 * patterns and stored as a list.
 *
 * <h2>Locks</h2>
 * BY and GET patterns name keys that only the elements reveal, so no key spec can list them: the
 * commands run with every slot lock held ({@link LockMode#ALL}), as Redis runs every command.
 *
 * <h2>Order</h2>
 * Numeric sorting reads each weight as C's strtod does (leading blanks, hexadecimal, inf; a weight
 * that is not wholly a number, is NaN or overflows fails the command) and breaks ties by comparing
 * the elements' bytes, so the result is deterministic. ALPHA compares bytes: as C strings (up to a
 * NUL byte, Redis's strcoll under a C or C.UTF-8 collation) when replying, in full when storing.
 * Equal ALPHA weights keep the elements' order (a stable sort).
 *
 * <h2>Without sorting</h2>
 * BY with a pattern that has no {@code *} skips sorting: lists and sorted sets keep their own
 * order (reversed by DESC), sets their iteration order, except that a set sorted with STORE is
 * sorted ALPHA so that the stored list is the same wherever the command runs.
 */
public final class SortCommands {
    private final ServerContext server;

    public SortCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds SORT and SORT_RO in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("sort", LockMode.ALL, this::sort);
        table.bind("sort_ro", LockMode.ALL, this::sortRo);
    }

    /** SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination] */
    void sort(Client client, byte[][] argv) {
        sortGeneric(client, argv, false);
    }

    /** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] */
    void sortRo(Client client, byte[][] argv) {
        sortGeneric(client, argv, true);
    }

    /** One element being sorted: its value and its weight (a number, or bytes for ALPHA BY). */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] weight;

        Item(byte[] element) {
            this.element = element;
        }
    }

    private void sortGeneric(Client client, byte[][] argv, boolean readOnly) {
        ReplyWriter reply = client.reply();
        boolean desc = false;
        boolean alpha = false;
        boolean dontSort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] sortBy = null;
        byte[] storeKey = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (Arguments.is(argv[j], "asc")) {
                desc = false;
            } else if (Arguments.is(argv[j], "desc")) {
                desc = true;
            } else if (Arguments.is(argv[j], "alpha")) {
                alpha = true;
            } else if (Arguments.is(argv[j], "limit") && left >= 2) {
                Long start = Arguments.integer(argv[j + 1]);
                Long count = Arguments.integer(argv[j + 2]);
                if (start == null || count == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                limitStart = start;
                limitCount = count;
                j += 2;
            } else if (!readOnly && Arguments.is(argv[j], "store") && left >= 1) {
                storeKey = argv[++j];
            } else if (Arguments.is(argv[j], "by") && left >= 1) {
                sortBy = argv[++j];
                dontSort = indexOf(sortBy, (byte) '*', 0) < 0;
            } else if (Arguments.is(argv[j], "get") && left >= 1) {
                gets.add(argv[++j]);
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = client.db();
        Object value = db.get(argv[1]);
        boolean nativeOrder = false;
        List<byte[]> elements;
        if (value == null) {
            elements = List.of();
        } else if (value instanceof SetValue set) {
            elements = new ArrayList<>(set.size());
            set.iterator().forEachRemaining(elements::add);
        } else if (value instanceof ListValue list) {
            nativeOrder = true;
            elements = new ArrayList<>((int) Math.min(list.length(), Integer.MAX_VALUE));
            for (ListCursor cursor = list.cursor(0, true); cursor.valid(); cursor.advance()) {
                elements.add(cursor.bytes());
            }
        } else if (value instanceof SortedSetValue zset) {
            nativeOrder = true;
            List<byte[]> members = new ArrayList<>(zset.size());
            zset.forEach(0, false, (member, score) -> members.add(member));
            elements = members;
            if (zset instanceof PackedSortedSet) {
                // Redis turns a listpack sorted set into a skiplist for SORT (SORT_RO too).
                SkiplistSortedSet converted = new SkiplistSortedSet();
                zset.forEach(0, false, (member, score) -> {
                    converted.insert(member, score);
                    return true;
                });
                db.replace(argv[1], converted);
            }
        } else {
            reply.error(Errors.WRONGTYPE);
            return;
        }
        if (dontSort && value instanceof SetValue && storeKey != null) {
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        int length = elements.size();
        long start = Math.min(Math.max(limitStart, 0), length);
        long count = Math.min(Math.max(limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }
        if (nativeOrder && dontSort && desc) {
            elements = new ArrayList<>(elements);
            Collections.reverse(elements);
        }
        List<Item> items = new ArrayList<>(length);
        for (byte[] element : elements) {
            items.add(new Item(element));
        }
        if (!dontSort && !weigh(db, items, sortBy, alpha)) {
            reply.error(Errors.SORT_NOT_DOUBLE);
            return;
        }
        if (!dontSort) {
            items.sort(comparator(alpha, sortBy != null, storeKey != null, desc));
        }
        List<Item> range = end < start ? List.of() : items.subList((int) start, (int) (end + 1));
        if (storeKey == null) {
            reply.array(gets.isEmpty() ? range.size() : gets.size() * range.size());
            for (Item item : range) {
                if (gets.isEmpty()) {
                    reply.bulk(item.element);
                }
                for (byte[] pattern : gets) {
                    byte[] found = lookupByPattern(db, pattern, item.element);
                    if (found == null) {
                        reply.nullBulk();
                    } else {
                        reply.bulk(found);
                    }
                }
            }
            return;
        }
        List<byte[]> stored = new ArrayList<>();
        for (Item item : range) {
            if (gets.isEmpty()) {
                stored.add(item.element);
            }
            for (byte[] pattern : gets) {
                byte[] found = lookupByPattern(db, pattern, item.element);
                stored.add(found == null ? new byte[0] : found);
            }
        }
        if (stored.isEmpty()) {
            if (db.delete(storeKey)) {
                db.changed(storeKey, KeyspaceEvents.GENERIC, "del");
            }
        } else {
            db.set(storeKey, newList(stored), 0L);
            db.changed(storeKey, KeyspaceEvents.LIST, "sortstore");
        }
        reply.integer(stored.size());
    }

    /**
     * A list of {@code elements}, in the encoding RPUSH of them all to a new key would give
     * (list-max-listpack-size decides between a listpack and a quicklist).
     */
    private ListValue newList(List<byte[]> elements) {
        long bytes = 0;
        for (byte[] element : elements) {
            bytes += element.length;
        }
        int fill = (int) server.config().listMaxListpackSize.value();
        int compressDepth = (int) Math.min(server.config().listCompressDepth.value(), Integer.MAX_VALUE);
        ListValue list = ListValue.beforeAdding(new PackedList(), bytes, elements.size(), fill, compressDepth);
        for (byte[] element : elements) {
            list.push(false, element);
        }
        return list;
    }

    /**
     * Sets each item's weight: for ALPHA the bytes found through {@code sortBy} (none without
     * it: the element itself is compared); otherwise the number its weight holds. Returns false
     * when a weight is not a number.
     */
    private boolean weigh(Database db, List<Item> items, byte[] sortBy, boolean alpha) {
        boolean allNumbers = true;
        for (Item item : items) {
            byte[] weight = item.element;
            if (sortBy != null) {
                weight = lookupByPattern(db, sortBy, item.element);
                if (weight == null) {
                    continue;
                }
            }
            if (alpha) {
                if (sortBy != null) {
                    item.weight = weight;
                }
            } else {
                item.score = strtod(weight);
                if (Double.isNaN(item.score)) {
                    allNumbers = false;
                }
            }
        }
        return allNumbers;
    }

    /** The order sortCompare defines, for the options given. */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<Item> order;
        if (!alpha) {
            order = (a, b) -> {
                int cmp = Double.compare(a.score, b.score);
                if (a.score == b.score) {
                    cmp = Arrays.compareUnsigned(a.element, b.element);
                }
                return cmp;
            };
        } else if (byPattern) {
            order = (a, b) -> {
                if (a.weight == null || b.weight == null) {
                    return a.weight == b.weight ? 0 : a.weight == null ? -1 : 1;
                }
                return store ? Arrays.compareUnsigned(a.weight, b.weight) : compareCString(a.weight, b.weight);
            };
        } else {
            order = (a, b) -> store ? Arrays.compareUnsigned(a.element, b.element) : compareCString(a.element, b.element);
        }
        return desc ? order.reversed() : order;
    }

    /** Compares two byte strings as C strings: up to the first NUL byte of each, bytes unsigned. */
    static int compareCString(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, cLength(a), b, 0, cLength(b));
    }

    private static int cLength(byte[] s) {
        int nul = indexOf(s, (byte) 0, 0);
        return nul < 0 ? s.length : nul;
    }

    private static int indexOf(byte[] s, byte b, int from) {
        for (int i = from; i < s.length; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value a GET or BY pattern names for {@code element} (lookupKeyByPattern): {@code #} is
     * the element itself; otherwise the first {@code *} is replaced by the element and the key's
     * string value is taken, or with {@code ->field} after the {@code *} the field of the hash at
     * the key. Null when the pattern has no {@code *}, the key is missing or holds another type.
     */
    byte[] lookupByPattern(Database db, byte[] pattern, byte[] element) {
        int patternEnd = cLength(pattern);
        if (patternEnd == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0 || star >= patternEnd) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < patternEnd; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < patternEnd) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Object value = db.get(key);
        if (value == null) {
            return null;
        }
        if (field != null) {
            return hashField(db, key, value, field);
        }
        return StringValue.isString(value) ? StringValue.bytes(value) : null;
    }

    /**
     * The value of {@code field} in the hash {@code value} at {@code key}, its expired fields
     * reclaimed first (the key goes when that empties it); null when it is not a hash or has no
     * such field.
     */
    private byte[] hashField(Database db, byte[] key, Object value, byte[] field) {
        if (!(value instanceof HashValue hash)) {
            return null;
        }
        long now = server.clock().millis();
        if (hash.earliestElementExpiry() <= now && hash.expireElements(now) > 0) {
            db.changed(key, KeyspaceEvents.HASH, "hexpired");
            if (hash.isEmpty()) {
                db.delete(key);
                db.changed(key, KeyspaceEvents.GENERIC, "del");
                return null;
            }
        }
        return hash.get(field);
    }

    /**
     * The number C's strtod reads from the whole of {@code s} (up to a NUL byte), or NaN when it
     * reads only part of it, the number is NaN, or it overflows or underflows (ERANGE). An empty
     * string reads as 0, as strtod leaves nothing unread.
     */
    static double strtod(byte[] s) {
        int end = cLength(s);
        int i = 0;
        while (i < end && isCSpace(s[i])) {
            i++;
        }
        int numberStart = i;
        if (i < end && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        String rest = new String(s, i, end - i, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        boolean negative = numberStart < end && s[numberStart] == '-';
        if (rest.startsWith("inf")) {
            boolean whole = rest.equals("inf") || rest.equals("infinity");
            return whole ? (negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.NaN;
        }
        if (rest.startsWith("nan")) {
            return Double.NaN;
        }
        boolean hex = rest.startsWith("0x") && rest.length() > 2 && (Character.digit(rest.charAt(2), 16) >= 0
                || (rest.charAt(2) == '.' && rest.length() > 3 && Character.digit(rest.charAt(3), 16) >= 0));
        int p = hex ? 2 : 0;
        int radix = hex ? 16 : 10;
        boolean digits = false;
        boolean nonZero = false;
        while (p < rest.length() && Character.digit(rest.charAt(p), radix) >= 0) {
            digits = true;
            nonZero |= rest.charAt(p) != '0';
            p++;
        }
        if (p < rest.length() && rest.charAt(p) == '.') {
            p++;
            while (p < rest.length() && Character.digit(rest.charAt(p), radix) >= 0) {
                digits = true;
                nonZero |= rest.charAt(p) != '0';
                p++;
            }
        }
        if (!digits) {
            // Nothing converted: strtod points back at the start of the string.
            return end == 0 ? 0 : Double.NaN;
        }
        int mantissaEnd = p;
        char exponentMark = hex ? 'p' : 'e';
        if (p < rest.length() && rest.charAt(p) == exponentMark) {
            int q = p + 1;
            if (q < rest.length() && (rest.charAt(q) == '+' || rest.charAt(q) == '-')) {
                q++;
            }
            if (q < rest.length() && Character.isDigit(rest.charAt(q))) {
                while (q < rest.length() && Character.isDigit(rest.charAt(q))) {
                    q++;
                }
                p = q;
            }
        }
        if (p != rest.length()) {
            return Double.NaN;
        }
        double value;
        try {
            String text = hex ? (mantissaEnd == p ? rest + "p0" : rest) : rest;
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        if (Double.isInfinite(value) || (nonZero && Math.abs(value) < Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        return negative ? -value : value;
    }

    private static boolean isCSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r';
    }
}
