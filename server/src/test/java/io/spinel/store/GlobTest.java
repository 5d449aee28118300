package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Glob patterns against a fixed set of keys. The expected matches were taken from a real Redis:
 * the keys stored, then {@code KEYS pattern} for each pattern (escapes, ranges, reversed ranges,
 * unterminated brackets, nested stars).
 */
class GlobTest {
    private static final List<String> KEYS = List.of("a", "b", "ab", "abc", "aXc", "a-c", "a]c", "a[c", "a\\c", "a*c", "a?c", "hello", "hallo", "hllo", "heello", "foo", "foobar", "bar", "ba", "c", "z", "-", "]", "^", "^a", "x^y", "abcabc", "aaa", "aaaa", "AB", "Ab", "aB", "f.o", "[", "[a]");

    static Stream<Arguments> patterns() {
        return Stream.of(
                Arguments.of("*", List.of("-", "AB", "Ab", "[", "[a]", "]", "^", "^a", "a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc", "b", "ba", "bar", "c", "f.o", "foo", "foobar", "hallo", "heello", "hello", "hllo", "x^y", "z")),
                Arguments.of("?", List.of("-", "[", "]", "^", "a", "b", "c", "z")),
                Arguments.of("a*", List.of("a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc")),
                Arguments.of("*c", List.of("a*c", "a-c", "a?c", "aXc", "a[c", "a\\c", "a]c", "abc", "abcabc", "c")),
                Arguments.of("a?c", List.of("a*c", "a-c", "a?c", "aXc", "a[c", "a\\c", "a]c", "abc")),
                Arguments.of("a[bX]c", List.of("aXc", "abc")),
                Arguments.of("a[^b]c", List.of("a*c", "a-c", "a?c", "aXc", "a[c", "a\\c", "a]c")),
                Arguments.of("a[a-z]c", List.of("abc")),
                Arguments.of("a[z-a]c", List.of("abc")),
                Arguments.of("a[A-Z]c", List.of("aXc")),
                Arguments.of("[a-c]*", List.of("a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc", "b", "ba", "bar", "c")),
                Arguments.of("[c-a]*", List.of("a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc", "b", "ba", "bar", "c")),
                Arguments.of("a\\*c", List.of("a*c")),
                Arguments.of("a\\?c", List.of("a?c")),
                Arguments.of("a\\[c", List.of("a[c")),
                Arguments.of("a[\\]]c", List.of("a]c")),
                Arguments.of("a[\\-]c", List.of("a-c")),
                Arguments.of("a[-]c", List.of("a-c")),
                Arguments.of("a[b-]c", List.of("ab")),
                Arguments.of("a[", List.of()),
                Arguments.of("a[b", List.of("ab")),
                Arguments.of("ab[", List.of()),
                Arguments.of("[", List.of()),
                Arguments.of("[]", List.of()),
                Arguments.of("[]]", List.of()),
                Arguments.of("[^]", List.of("-", "[", "]", "^", "a", "b", "c", "z")),
                Arguments.of("[^]]", List.of()),
                Arguments.of("a]c", List.of("a]c")),
                Arguments.of("\\", List.of()),
                Arguments.of("a\\", List.of()),
                Arguments.of("ab\\", List.of()),
                Arguments.of("h*llo", List.of("hallo", "heello", "hello", "hllo")),
                Arguments.of("h**llo", List.of("hallo", "heello", "hello", "hllo")),
                Arguments.of("h*l*o", List.of("hallo", "heello", "hello", "hllo")),
                Arguments.of("*a*a*", List.of("aaa", "aaaa", "abcabc")),
                Arguments.of("**", List.of("-", "AB", "Ab", "[", "[a]", "]", "^", "^a", "a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc", "b", "ba", "bar", "c", "f.o", "foo", "foobar", "hallo", "heello", "hello", "hllo", "x^y", "z")),
                Arguments.of("a**", List.of("a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc")),
                Arguments.of("*b*c*", List.of("abc", "abcabc")),
                Arguments.of("x[\\^]y", List.of("x^y")),
                Arguments.of("x[^^]y", List.of()),
                Arguments.of("[\\^]*", List.of("^", "^a")),
                Arguments.of("^*", List.of("^", "^a")),
                Arguments.of("[!a]*", List.of("a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc")),
                Arguments.of("*[", List.of()),
                Arguments.of("[a", List.of("a")),
                Arguments.of("a[b-d", List.of("ab")),
                Arguments.of("a[^", List.of("aB", "ab")),
                Arguments.of("a[-c]c", List.of("a-c")),
                Arguments.of("a[a-]", List.of()),
                Arguments.of("[a-]", List.of("]", "^", "a")),
                Arguments.of("a\\\\c", List.of("a\\c")),
                Arguments.of("?*?", List.of("AB", "Ab", "[a]", "^a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc", "ba", "bar", "f.o", "foo", "foobar", "hallo", "heello", "hello", "hllo", "x^y")),
                Arguments.of("*?*?*", List.of("AB", "Ab", "[a]", "^a", "a*c", "a-c", "a?c", "aB", "aXc", "a[c", "a\\c", "a]c", "aaa", "aaaa", "ab", "abc", "abcabc", "ba", "bar", "f.o", "foo", "foobar", "hallo", "heello", "hello", "hllo", "x^y")),
                Arguments.of("a[[]c", List.of("a[c")),
                Arguments.of("a[]]c", List.of()),
                Arguments.of("a[a-c-e]c", List.of("a-c", "abc")),
                Arguments.of("*abc", List.of("abc", "abcabc")),
                Arguments.of("abc*abc", List.of("abcabc")),
                Arguments.of("[ab][ab]", List.of("ab", "ba")),
                Arguments.of("[^ab][^ab]", List.of("AB")),
                Arguments.of("f[.]o", List.of("f.o")),
                Arguments.of("A*", List.of("AB", "Ab")));
    }

    @ParameterizedTest
    @MethodSource("patterns")
    void matches_sameKeysAsRedisKeys(String pattern, List<String> expected) {
        List<String> matched = new ArrayList<>();
        for (String key : KEYS) {
            if (Glob.matches(bytes(pattern), bytes(key))) {
                matched.add(key);
            }
        }
        assertThat(matched).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Redis's stringmatchlen never lets a star match the empty key; KEYS * finds it by not matching. */
    @Test
    void matches_emptyString() {
        assertThat(Glob.matches(bytes("*"), bytes(""))).isFalse();
        assertThat(Glob.matches(bytes("**"), bytes(""))).isFalse();
        assertThat(Glob.matches(bytes(""), bytes(""))).isTrue();
        assertThat(Glob.matches(bytes("?"), bytes(""))).isFalse();
        assertThat(Glob.matches(bytes(""), bytes("a"))).isFalse();
    }

    @Test
    void matches_ignoreCase() {
        assertThat(Glob.matches(bytes("HeL*"), bytes("hello"), true)).isTrue();
        assertThat(Glob.matches(bytes("h[A-Z]llo"), bytes("hello"), true)).isTrue();
        assertThat(Glob.matches(bytes("HeL*"), bytes("hello"), false)).isFalse();
    }

    @Test
    void matches_binaryBytes() {
        byte[] key = {(byte) 0xff, 0, (byte) 0x80};
        assertThat(Glob.matches(new byte[] {(byte) 0xff, '*'}, key)).isTrue();
        assertThat(Glob.matches(new byte[] {'?', 0, '?'}, key)).isTrue();
        assertThat(Glob.matches(new byte[] {'?', '?', '[', (byte) 0x7f, '-', (byte) 0xff, ']'}, key)).isTrue();
    }

    @Test
    void matches_manyStarsTerminatesQuickly() {
        String pattern = "a" + "*a".repeat(40) + "b";
        assertThat(Glob.matches(bytes(pattern), bytes("a".repeat(200)))).isFalse();
        assertThat(Glob.matches(bytes("*".repeat(5000) + "x"), bytes("abcx"))).isTrue();
    }

    @Test
    void matchesAll_onlyTheSingleStar() {
        assertThat(Glob.matchesAll(bytes("*"))).isTrue();
        assertThat(Glob.matchesAll(bytes("**"))).isFalse();
        assertThat(Glob.matchesAll(bytes("a*"))).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
