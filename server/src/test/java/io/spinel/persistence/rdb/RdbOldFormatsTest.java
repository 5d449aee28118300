package io.spinel.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinel.config.Config;
import io.spinel.types.HashValue;
import io.spinel.types.ListValue;
import io.spinel.types.SetValue;
import io.spinel.types.SortedSetValue;
import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The encodings of older RDB versions, which Spinel reads but never writes (ziplists, zipmaps,
 * quicklist v1, string-scored zsets, the linked list type, 7.2's set listpack, 7.4's pre-release
 * hash types), built here byte by byte from the format's definition; and whole files of versions
 * 6 to 12 with the opcodes of each.
 */
class RdbOldFormatsTest {
    private final RdbValueReader reader = new RdbValueReader(new Config());

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A ziplist of {@code entries}: integers in int16 or 4-bit immediates, the rest as 6-bit strings. */
    static byte[] ziplist(String... entries) {
        RdbOutput body = new RdbOutput(64, false);
        int previous = 0;
        int tail = 10;
        for (String entry : entries) {
            tail = 10 + body.size();
            int start = body.size();
            body.writeByte(previous);
            Long integer = StringValue.parseLong(b(entry));
            if (integer != null && integer >= 0 && integer <= 12) {
                body.writeByte(0xF1 + integer.intValue());
            } else if (integer != null && integer >= Short.MIN_VALUE && integer <= Short.MAX_VALUE) {
                body.writeByte(0xC0);
                body.writeLittleEndian(integer, 2);
            } else {
                body.writeByte(entry.length());
                body.writeBytes(b(entry));
            }
            previous = body.size() - start;
        }
        RdbOutput out = new RdbOutput(64, false);
        out.writeLittleEndian(10 + body.size() + 1, 4);
        out.writeLittleEndian(tail, 4);
        out.writeLittleEndian(entries.length, 2);
        out.writeBytes(body.toByteArray());
        out.writeByte(0xFF);
        return out.toByteArray();
    }

    static byte[] zipmap(String... pairs) {
        RdbOutput out = new RdbOutput(64, false);
        out.writeByte(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            out.writeByte(pairs[i].length());
            out.writeBytes(b(pairs[i]));
            out.writeByte(pairs[i + 1].length());
            out.writeByte(1);
            out.writeBytes(b(pairs[i + 1]));
            out.writeByte(0);
        }
        out.writeByte(0xFF);
        return out.toByteArray();
    }

    private Object read(int type, RdbOutput value) throws RdbFormatException {
        byte[] bytes = value.toByteArray();
        RdbInput in = new RdbInput(bytes, 0, bytes.length);
        Object result = reader.read(type, in, System.currentTimeMillis());
        assertThat(in.remaining()).isZero();
        return result;
    }

    private static RdbOutput blob(byte[] blob) {
        RdbOutput out = new RdbOutput(64, false);
        out.writeString(blob);
        return out;
    }

    private static List<String> list(Object value) {
        ListValue list = (ListValue) value;
        List<String> out = new ArrayList<>();
        for (long i = 0; i < list.length(); i++) {
            out.add(new String(list.index(i), StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static Map<String, String> hash(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        ((HashValue) value).forEach((f, v) -> out.put(new String(f, StandardCharsets.US_ASCII), new String(v, StandardCharsets.US_ASCII)));
        return out;
    }

    @Test
    void lists_linkedZiplistAndQuicklistV1() throws RdbFormatException {
        RdbOutput linked = new RdbOutput(64, false);
        linked.writeLength(3);
        for (String s : new String[] {"a", "12", "-5"}) {
            linked.writeString(b(s));
        }
        assertThat(list(read(RdbFormat.TYPE_LIST, linked))).containsExactly("a", "12", "-5");
        assertThat(list(read(RdbFormat.TYPE_LIST_ZIPLIST, blob(ziplist("x", "7", "-300", "hello"))))).containsExactly("x", "7", "-300", "hello");
        RdbOutput quick = new RdbOutput(64, false);
        quick.writeLength(2);
        quick.writeString(ziplist("a", "b"));
        quick.writeString(ziplist("1000", "c"));
        assertThat(list(read(RdbFormat.TYPE_LIST_QUICKLIST, quick))).containsExactly("a", "b", "1000", "c");
    }

    @Test
    void hashes_zipmapAndZiplistAndPreReleaseFieldTtls() throws RdbFormatException {
        assertThat(hash(read(RdbFormat.TYPE_HASH_ZIPMAP, blob(zipmap("f", "v", "name", "spinel"))))).containsExactly(
                Map.entry("f", "v"), Map.entry("name", "spinel"));
        assertThat(hash(read(RdbFormat.TYPE_HASH_ZIPLIST, blob(ziplist("f", "1", "g", "two"))))).containsExactly(
                Map.entry("f", "1"), Map.entry("g", "two"));
        long later = System.currentTimeMillis() + 60_000;
        RdbOutput pre = new RdbOutput(64, false);
        pre.writeLength(3);
        pre.writeLength(later);
        pre.writeString(b("a"));
        pre.writeString(b("1"));
        pre.writeLength(0);
        pre.writeString(b("b"));
        pre.writeString(b("2"));
        pre.writeLength(1000);
        pre.writeString(b("gone"));
        pre.writeString(b("3"));
        HashValue hash = (HashValue) read(RdbFormat.TYPE_HASH_METADATA_PRE_GA, pre);
        assertThat(hash(hash)).containsOnlyKeys("a", "b");
        assertThat(hash.expiryOf(b("a"))).isEqualTo(later);
        byte[] lp = new RedisListpack.Builder().add(b("x")).add(b("y")).add(later).add(b("z")).add(b("w")).add(0).build();
        HashValue packed = (HashValue) read(RdbFormat.TYPE_HASH_LISTPACK_EX_PRE_GA, blob(lp));
        assertThat(packed.encoding()).isEqualTo("listpackex");
        assertThat(packed.expiryOf(b("x"))).isEqualTo(later);
        assertThat(packed.expiryOf(b("z"))).isZero();
    }

    @Test
    void sortedSets_ziplistAndStringScores() throws RdbFormatException {
        SortedSetValue zip = (SortedSetValue) read(RdbFormat.TYPE_ZSET_ZIPLIST, blob(ziplist("a", "1", "b", "2.5")));
        assertThat(zip.score(b("b"))).isEqualTo(2.5);
        RdbOutput old = new RdbOutput(64, false);
        old.writeLength(3);
        old.writeString(b("x"));
        old.writeByte(3);
        old.writeBytes(b("1.5"));
        old.writeString(b("y"));
        old.writeByte(254);
        old.writeString(b("z"));
        old.writeByte(255);
        SortedSetValue set = (SortedSetValue) read(RdbFormat.TYPE_ZSET, old);
        assertThat(set.score(b("x"))).isEqualTo(1.5);
        assertThat(set.score(b("y"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(set.score(b("z"))).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void sets_listpackOf72() throws RdbFormatException {
        SetValue set = (SetValue) read(RdbFormat.TYPE_SET_LISTPACK, blob(new RedisListpack.Builder().add(b("a")).add(b("b")).add(5).build()));
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.contains(b("5"))).isTrue();
        assertThat(set.encoding()).isEqualTo("listpack");
    }

    @Test
    void values_refusedCleanly() {
        RdbOutput dup = new RdbOutput(16, false);
        dup.writeLength(2);
        dup.writeString(b("same"));
        dup.writeString(b("same"));
        assertThatThrownBy(() -> read(RdbFormat.TYPE_SET, dup)).hasMessageContaining("duplicate set member");
        assertThatThrownBy(() -> read(RdbFormat.TYPE_MODULE_2, new RdbOutput(16, false))).hasMessageContaining("module");
        byte[] broken = ziplist("a", "b");
        broken[broken.length - 1] = 0;
        assertThatThrownBy(() -> read(RdbFormat.TYPE_LIST_ZIPLIST, blob(broken))).hasMessageContaining("ziplist");
    }

    /** A file of {@code version} with one key "k" = "v" expiring in seconds (old opcode), a FUNCTION2 record and AUX fields. */
    private static byte[] file(int version) {
        RdbOutput out = new RdbOutput(64, false);
        out.writeBytes(b(String.format("REDIS%04d", version)));
        out.writeByte(RdbFormat.OPCODE_AUX);
        out.writeString(b("redis-ver"));
        out.writeString(b("6.0.0"));
        if (version >= 10) {
            out.writeByte(RdbFormat.OPCODE_FUNCTION2);
            out.writeString(b("#!lua name=lib\nredis.register_function('f', function() return 1 end)"));
        }
        out.writeByte(RdbFormat.OPCODE_SELECTDB);
        out.writeLength(2);
        out.writeByte(RdbFormat.OPCODE_RESIZEDB);
        out.writeLength(2);
        out.writeLength(1);
        out.writeByte(RdbFormat.OPCODE_EXPIRETIME);
        out.writeLittleEndian(System.currentTimeMillis() / 1000 + 3600, 4);
        out.writeByte(RdbFormat.TYPE_STRING);
        out.writeString(b("k"));
        out.writeString(b("v"));
        out.writeByte(RdbFormat.OPCODE_IDLE);
        out.writeLength(100);
        out.writeByte(RdbFormat.TYPE_STRING);
        out.writeString(b("idle"));
        out.writeString(b("42"));
        out.writeByte(RdbFormat.OPCODE_EXPIRETIME_MS);
        out.writeLittleEndian(1000, 8);
        out.writeByte(RdbFormat.TYPE_STRING);
        out.writeString(b("long-expired"));
        out.writeString(b("x"));
        out.writeByte(RdbFormat.OPCODE_EOF);
        long crc = Crc64.of(out.array(), 0, out.size());
        out.writeLittleEndian(crc, 8);
        return out.toByteArray();
    }

    @Test
    void files_ofVersions6To12Load() throws RdbFormatException {
        for (int version = 6; version <= 12; version++) {
            Map<String, Long> keys = new LinkedHashMap<>();
            RdbLoader.Report report = RdbLoader.load(file(version), reader, 16, System.currentTimeMillis(),
                    (db, key, value, expiresAt, idle) -> keys.put(db + ":" + new String(key, StandardCharsets.US_ASCII), expiresAt));
            assertThat(keys).as("version " + version).containsOnlyKeys("2:k", "2:idle");
            assertThat(keys.get("2:k")).isPositive();
            assertThat(report.keysExpired()).isEqualTo(1);
            assertThat(report.functions()).hasSize(version >= 10 ? 1 : 0);
        }
        assertThatThrownBy(() -> RdbLoader.load(file(13), reader, 16, 0, (db, key, value, expiresAt, idle) -> { }))
                .hasMessageContaining("version 13");
        byte[] corrupt = file(10);
        corrupt[20] ^= 1;
        assertThatThrownBy(() -> RdbLoader.load(corrupt, reader, 16, 0, (db, key, value, expiresAt, idle) -> { }))
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> RdbLoader.load(file(10), reader, 2, 0, (db, key, value, expiresAt, idle) -> { }))
                .hasMessageContaining("database 2 out of range");
    }
}
