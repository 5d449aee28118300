package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every hash encoding against the same behaviour: fields, values, expiries, iteration, conversion. */
class HashValueTest {
    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of("listpack", (Supplier<HashValue>) PackedHash::new),
                Arguments.of("listpackex", (Supplier<HashValue>) PackedExpiringHash::new),
                Arguments.of("hashtable", (Supplier<HashValue>) TableHash::new));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> contents(HashValue hash) {
        Map<String, String> map = new LinkedHashMap<>();
        hash.forEach((f, v) -> map.put(s(f), s(v)));
        return map;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void putGetRemove_anyEncoding(String encoding, Supplier<HashValue> create) {
        HashValue hash = create.get();
        assertThat(hash.encoding()).isEqualTo(encoding);
        assertThat(hash.isEmpty()).isTrue();
        assertThat(hash.put(b("a"), b("1"), false)).isTrue();
        assertThat(hash.put(b("b"), b("-9223372036854775808"), false)).isTrue();
        assertThat(hash.put(b(""), b(""), false)).isTrue();
        assertThat(hash.put(b("a"), b("x".repeat(300)), false)).isFalse();
        assertThat(hash.fieldCount()).isEqualTo(3);
        assertThat(s(hash.get(b("a")))).isEqualTo("x".repeat(300));
        assertThat(s(hash.get(b("b")))).isEqualTo("-9223372036854775808");
        assertThat(s(hash.get(b("")))).isEmpty();
        assertThat(hash.get(b("z"))).isNull();
        assertThat(hash.valueLength(b("b"))).isEqualTo(20);
        assertThat(hash.valueLength(b("z"))).isEqualTo(-1);
        assertThat(contents(hash)).containsOnlyKeys("a", "b", "");
        assertThat(hash.remove(b("a"))).isTrue();
        assertThat(hash.remove(b("a"))).isFalse();
        assertThat(hash.fieldCount()).isEqualTo(2);
        assertThat(s(hash.randomField(new SplittableRandom(1)))).isIn("b", "");
        HashValue copy = (HashValue) hash.copy();
        hash.remove(b("b"));
        assertThat(copy.fieldCount()).isEqualTo(2);
        assertThat(copy.memoryUsage(0)).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void put_ofTheStoredValueOrOneSharingItsStart(String encoding, Supplier<HashValue> create) {
        HashValue hash = create.get();
        hash.put(b("f"), b("12"), false);
        assertThat(hash.put(b("f"), b("12"), false)).isFalse();
        assertThat(s(hash.get(b("f")))).isEqualTo("12");
        hash.put(b("f"), b("1"), false);
        assertThat(s(hash.get(b("f")))).isEqualTo("1");
        hash.put(b("f"), b("123"), false);
        assertThat(s(hash.get(b("f")))).isEqualTo("123");
        hash.put(b("f"), b(""), false);
        assertThat(s(hash.get(b("f")))).isEmpty();
        if (hash.canExpireFields()) {
            hash.expireAt(b("f"), 4_000_000_000_000L);
            hash.put(b("f"), b(""), true);
            assertThat(hash.expiryOf(b("f"))).isEqualTo(4_000_000_000_000L);
            hash.put(b("f"), b(""), false);
            assertThat(hash.expiryOf(b("f"))).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void scan_coversEveryFieldOnce(String encoding, Supplier<HashValue> create) {
        HashValue hash = create.get();
        for (int i = 0; i < 300; i++) {
            hash.put(b("f" + i), b("v" + i), false);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        long cursor = 0;
        do {
            cursor = hash.scan(cursor, 10, (f, v) -> assertThat(seen.put(s(f), s(v))).isNull());
        } while (cursor != 0);
        assertThat(seen).hasSize(300).containsEntry("f17", "v17");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void fieldExpiry_expiresOnlyWhatIsDue(String encoding, Supplier<HashValue> create) {
        HashValue hash = create.get();
        hash.put(b("a"), b("1"), false);
        hash.put(b("b"), b("2"), false);
        hash.put(b("c"), b("3"), false);
        assertThat(hash.earliestElementExpiry()).isEqualTo(Long.MAX_VALUE);
        assertThat(hash.expiryOf(b("a"))).isZero();
        assertThat(hash.expiryOf(b("z"))).isEqualTo(HashValue.NO_FIELD);
        if (!hash.canExpireFields()) {
            assertThat(hash.expireElements(Long.MAX_VALUE)).isZero();
            hash = PackedExpiringHash.of((PackedHash) hash);
            assertThat(hash.encoding()).isEqualTo("listpackex");
        }
        hash.expireAt(b("a"), 1000);
        hash.expireAt(b("b"), 2000);
        assertThat(hash.expiryOf(b("a"))).isEqualTo(1000);
        assertThat(hash.earliestElementExpiry()).isLessThanOrEqualTo(1000);
        assertThat(hash.put(b("b"), b("22"), true)).isFalse();
        assertThat(hash.expiryOf(b("b"))).isEqualTo(2000);
        assertThat(hash.expireElements(999)).isZero();
        assertThat(hash.expireElements(1000)).isEqualTo(1);
        assertThat(contents(hash)).containsOnlyKeys("b", "c");
        assertThat(hash.earliestElementExpiry()).isEqualTo(2000);
        hash.put(b("b"), b("23"), false);
        assertThat(hash.expiryOf(b("b"))).isZero();
        assertThat(hash.expireElements(Long.MAX_VALUE - 1)).isZero();
        hash.expireAt(b("c"), 5);
        assertThat(hash.expireElements(5)).isEqualTo(1);
        assertThat(contents(hash)).containsExactly(Map.entry("b", "23"));
        hash.remove(b("b"));
        assertThat(hash.isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void conversionToTable_keepsFieldsValuesAndExpiries(String encoding, Supplier<HashValue> create) {
        HashValue hash = create.get();
        for (int i = 0; i < 20; i++) {
            hash.put(b("f" + i), b(Integer.toString(i * 1000)), false);
        }
        if (hash.canExpireFields()) {
            hash.expireAt(b("f3"), 12345);
        }
        TableHash table = TableHash.of(hash);
        assertThat(contents(table)).isEqualTo(contents(hash));
        assertThat(table.expiryOf(b("f3"))).isEqualTo(hash.canExpireFields() ? 12345 : 0);
        assertThat(table.expiryOf(b("f4"))).isZero();
    }

    @org.junit.jupiter.api.Test
    void packedHash_isItsListpack() {
        PackedHash hash = new PackedHash();
        hash.put(b("name"), b("name-0000001"), false);
        hash.put(b("age"), b("42"), false);
        hash.trim();
        assertThat(hash.size()).isEqualTo(4);
        // "name" 6, "name-0000001" 14, "age" 5, integer 42: 2 bytes.
        assertThat(hash.bytes()).isEqualTo(27);
        PackedExpiringHash expiring = PackedExpiringHash.of(hash);
        assertThat(expiring.size()).isEqualTo(6);
        assertThat(s(expiring.get(b("age")))).isEqualTo("42");
    }
}
