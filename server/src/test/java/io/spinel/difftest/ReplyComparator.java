package io.spinel.difftest;

import io.spinel.command.CommandSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a Spinel reply with Redis's as {@link DifferentialPolicy} says: byte for byte, after
 * sorting the elements (or name/value pairs) of an unordered reply, by reply type only, or as
 * integers within a tolerance. Replies are the raw RESP bytes {@code RawClient} returns.
 */
final class ReplyComparator {
    private ReplyComparator() {
    }

    /** Whether the two replies to {@code spec} (null: an unknown command) count as equal. */
    static boolean same(CommandSpec spec, byte[] spinel, byte[] redis) {
        if (spinel == null || redis == null) {
            return spinel == redis;
        }
        DifferentialPolicy.Mode mode = spec == null ? DifferentialPolicy.Mode.EXACT : DifferentialPolicy.mode(spec);
        return switch (mode) {
            case EXACT -> Arrays.equals(spinel, redis)
                    || (DifferentialPolicy.DOUBLES.contains(spec.fullName()) && sameNumbers(spinel, redis));
            case TYPE_ONLY -> spinel.length > 0 && redis.length > 0 && spinel[0] == redis[0];
            case SORTED -> Arrays.equals(sorted(spec, spinel), sorted(spec, redis));
            case TOLERANCE -> withinTolerance(DifferentialPolicy.TOLERANCE.get(spec.fullName()), spinel, redis);
        };
    }

    private static boolean withinTolerance(long tolerance, byte[] spinel, byte[] redis) {
        if (spinel[0] != ':' || redis[0] != ':') {
            return Arrays.equals(spinel, redis);
        }
        long a = Long.parseLong(new String(spinel, 1, spinel.length - 3, StandardCharsets.US_ASCII));
        long b = Long.parseLong(new String(redis, 1, redis.length - 3, StandardCharsets.US_ASCII));
        // Negative answers are codes (-1 no expiry, -2 no key), never measurements.
        return a < 0 || b < 0 ? a == b : Math.abs(a - b) <= tolerance;
    }

    /** Whether two replies have one shape and equal leaves, leaves that read as doubles compared as doubles. */
    static boolean sameNumbers(byte[] spinel, byte[] redis) {
        return sameNumbers(new Parser(spinel).node(), new Parser(redis).node());
    }

    private static boolean sameNumbers(Node a, Node b) {
        if (a.type != b.type || a.children.size() != b.children.size()) {
            return false;
        }
        if (!a.children.isEmpty() || a.type == '*' || a.type == '%' || a.type == '~') {
            if (!Arrays.equals(a.header, b.header)) {
                return false;
            }
            for (int i = 0; i < a.children.size(); i++) {
                if (!sameNumbers(a.children.get(i), b.children.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (Arrays.equals(a.raw, b.raw)) {
            return true;
        }
        Double x = number(a);
        Double y = number(b);
        return x != null && x.equals(y);
    }

    /** The double a bulk string or RESP3 double leaf holds, or null. */
    private static Double number(Node leaf) {
        String text;
        if (leaf.type == ',') {
            text = new String(leaf.header, 1, leaf.header.length - 3, StandardCharsets.US_ASCII);
        } else if (leaf.type == '$' && leaf.raw.length > leaf.header.length) {
            text = new String(leaf.raw, leaf.header.length, leaf.raw.length - leaf.header.length - 2, StandardCharsets.US_ASCII);
        } else {
            return null;
        }
        try {
            return switch (text) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> text.matches("-?[0-9.]+(e[-+]?[0-9]+)?") ? Double.parseDouble(text) : null;
            };
        } catch (NumberFormatException notNumber) {
            return null;
        }
    }

    /** The reply with the elements of its top-level aggregate in byte order (pairs kept together). */
    static byte[] sorted(CommandSpec spec, byte[] reply) {
        Node root = new Parser(reply).node();
        if (root.children.isEmpty()) {
            return reply;
        }
        boolean pairs = root.type == '%' || DifferentialPolicy.PAIRED.contains(spec.fullName());
        List<byte[]> groups = new ArrayList<>();
        int step = pairs ? 2 : 1;
        for (int i = 0; i + step <= root.children.size(); i += step) {
            ByteArrayOutputStream group = new ByteArrayOutputStream();
            for (int j = i; j < i + step; j++) {
                group.writeBytes(root.children.get(j).raw);
            }
            groups.add(group.toByteArray());
        }
        groups.sort(Arrays::compare);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(root.header);
        groups.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** A reply as readable text: printable ASCII as is, CR LF as {@code \r\n}, other bytes as {@code \xHH}. */
    static String escape(byte[] reply) {
        if (reply == null) {
            return "<connection closed>";
        }
        StringBuilder out = new StringBuilder();
        for (byte b : reply) {
            int c = b & 0xff;
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return out.toString();
    }

    /** A command as redis-cli would take it: every argument double-quoted and escaped. */
    static String command(List<byte[]> argv) {
        StringBuilder out = new StringBuilder();
        for (byte[] arg : argv) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append('"').append(escape(arg).replace("\"", "\\\"")).append('"');
        }
        return out.toString();
    }

    /** One parsed reply: its header line, its children (for aggregates) and its exact bytes. */
    private record Node(byte type, byte[] header, List<Node> children, byte[] raw) {
    }

    /** A RESP2/RESP3 reader over a complete reply. */
    private static final class Parser {
        private final byte[] data;
        private int pos;

        Parser(byte[] data) {
            this.data = data;
        }

        Node node() {
            int start = pos;
            int eol = pos;
            while (!(data[eol] == '\r' && data[eol + 1] == '\n')) {
                eol++;
            }
            byte type = data[start];
            String count = new String(data, start + 1, eol - start - 1, StandardCharsets.US_ASCII);
            pos = eol + 2;
            byte[] header = Arrays.copyOfRange(data, start, pos);
            List<Node> children = new ArrayList<>();
            switch (type) {
                case '$', '=', '!' -> {
                    int length = Integer.parseInt(count);
                    if (length >= 0) {
                        pos += length + 2;
                    }
                }
                case '*', '~', '>', '%', '|' -> {
                    int n = Integer.parseInt(count) * (type == '%' || type == '|' ? 2 : 1);
                    for (int i = 0; i < n; i++) {
                        children.add(node());
                    }
                }
                default -> {
                    // a simple type: the header is the whole value
                }
            }
            return new Node(type, header, children, Arrays.copyOfRange(data, start, pos));
        }
    }
}
