package io.spinel.pubsub;

import java.util.Arrays;

/** A channel or pattern name, compared by content (the registry's and a client's set key). */
record Name(byte[] bytes) {
    @Override
    public boolean equals(Object other) {
        return other instanceof Name name && Arrays.equals(bytes, name.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
