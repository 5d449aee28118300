package io.spinel.command.server;

import io.spinel.resp.DecimalText;
import io.spinel.store.Database;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotHash;
import io.spinel.types.HashValue;
import io.spinel.types.ListCursor;
import io.spinel.types.ListValue;
import io.spinel.types.SetValue;
import io.spinel.types.SortedSetValue;
import io.spinel.types.StreamValue;
import io.spinel.types.StringValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's order-independent SHA-1 digest of a dataset or a
 * value, computed the way Redis's debug.c defines it, so that two servers (Spinel and Redis)
 * holding the same data print the same digest whatever their encodings and iteration orders.
 *
 * <h2>The algorithm</h2>
 * Two primitives on a 20-byte digest: <em>xor</em> (digest ^= SHA1(bytes)), which is order
 * independent, and <em>mix</em> (xor, then digest = SHA1(digest)), which is not. A value's
 * digest mixes its type number (4 bytes, big-endian), then: a string mixes its bytes; a list
 * mixes its elements in order; a set xors its members; a sorted set xors, per member, a digest
 * that mixes the member then its score printed as C's "%.17g"; a hash xors, per field, a digest
 * that mixes the field then the value; a stream mixes, per entry in ID order, its ID as
 * "ms.seq", then its fields and values alternating (its groups are not part of it). A key with an expiry xors in "!!expire!!". The dataset
 * digest mixes, per non-empty database, its number (4 bytes, big-endian), then xors in, per key,
 * the SHA-1 of (a digest that mixes the key, then the value's digest steps). An empty dataset
 * is 40 zeros. Keys already expired count as absent.
 *
 * <p>Needs the slot locks of what it reads (every lock for the dataset). Not thread-safe (one
 * per call).
 */
final class DatasetDigest {
    private static final byte[] EXPIRE = "!!expire!!".getBytes(StandardCharsets.US_ASCII);
    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    /** The digest of every database of {@code keyspace}, as 40 hex digits. Needs every slot lock. */
    String dataset(Keyspace keyspace, long now) {
        byte[] result = new byte[20];
        for (int db = 0; db < keyspace.databaseCount(); db++) {
            Database database = keyspace.database(db);
            byte[][] perKey = {null};
            boolean[] mixedDb = {false};
            int index = db;
            for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
                database.forEachInSlot(slot, (key, value, expiresAt) -> {
                    if (expiresAt != 0 && expiresAt <= now) {
                        return;
                    }
                    if (!mixedDb[0]) {
                        mix(result, int32(index));
                        mixedDb[0] = true;
                    }
                    perKey[0] = new byte[20];
                    mix(perKey[0], key);
                    value(perKey[0], value, expiresAt);
                    xor(result, perKey[0]);
                });
            }
        }
        return hex(result);
    }

    /** The digest of one value (DEBUG DIGEST-VALUE); 40 zeros for a missing key (null). */
    String value(Object value, long expiresAt) {
        byte[] digest = new byte[20];
        if (value != null) {
            value(digest, value, expiresAt);
        }
        return hex(digest);
    }

    private void value(byte[] digest, Object value, long expiresAt) {
        switch (value) {
            case ListValue list -> {
                mix(digest, int32(1));
                long length = list.length();
                ListCursor cursor = list.cursor(0, true);
                for (long i = 0; i < length; i++) {
                    mix(digest, cursor.bytes());
                    cursor.advance();
                }
            }
            case SetValue set -> {
                mix(digest, int32(2));
                for (Iterator<byte[]> it = set.iterator(); it.hasNext(); ) {
                    xor(digest, it.next());
                }
            }
            case SortedSetValue zset -> {
                mix(digest, int32(3));
                zset.forEach(0, false, (member, score) -> {
                    byte[] element = new byte[20];
                    mix(element, member);
                    mix(element, formatScore(score).getBytes(StandardCharsets.US_ASCII));
                    xor(digest, element);
                    return true;
                });
            }
            case HashValue hash -> {
                mix(digest, int32(4));
                hash.forEach((field, fieldValue) -> {
                    byte[] element = new byte[20];
                    mix(element, field);
                    mix(element, fieldValue);
                    xor(digest, element);
                });
            }
            case StreamValue stream -> {
                mix(digest, int32(6));
                for (int b = 0; b < stream.blockCount(); b++) {
                    for (StreamValue.Entry entry : stream.blockView(b).entries()) {
                        mix(digest, (Long.toUnsignedString(entry.id().ms()) + "." + Long.toUnsignedString(entry.id().seq()))
                                .getBytes(StandardCharsets.US_ASCII));
                        for (byte[] fieldOrValue : entry.fieldsAndValues()) {
                            mix(digest, fieldOrValue);
                        }
                    }
                }
            }
            default -> {
                mix(digest, int32(0));
                mix(digest, StringValue.bytes(value));
            }
        }
        if (expiresAt != 0) {
            xor(digest, EXPIRE);
        }
    }

    /** digest ^= SHA1(data). */
    private void xor(byte[] digest, byte[] data) {
        byte[] hash = sha1.digest(data);
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }

    /** xor, then digest = SHA1(digest). */
    private void mix(byte[] digest, byte[] data) {
        xor(digest, data);
        System.arraycopy(sha1.digest(digest), 0, digest, 0, 20);
    }

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static String hex(byte[] digest) {
        StringBuilder out = new StringBuilder(40);
        for (byte b : digest) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }

    /** A double as C's printf "%.17g" prints it (round half even on the exact binary value). */
    static String formatScore(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 17) {
            String fixed = rounded.setScale(Math.max(0, 16 - exponent), RoundingMode.HALF_EVEN).toPlainString();
            return DecimalText.withoutTrailingZeros(fixed);
        }
        BigDecimal mantissa = rounded.movePointLeft(exponent);
        String digits = DecimalText.withoutTrailingZeros(mantissa.setScale(16, RoundingMode.HALF_EVEN).toPlainString());
        int magnitude = Math.abs(exponent);
        return digits + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + magnitude;
    }
}
