package io.spinel.scripting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.LuaString;

/**
 * The EVAL script cache: compiled scripts by the SHA1 of their body (lower-case hex), so EVALSHA
 * and repeated EVALs compile once. SCRIPT FLUSH empties it. Thread-safe.
 */
public final class ScriptCache {
    private final ConcurrentHashMap<String, Script> scripts = new ConcurrentHashMap<>();

    /** The cached script of {@code sha} (any case), or null. */
    public Script get(String sha) {
        return scripts.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether {@code sha} (any case) is cached. */
    public boolean contains(String sha) {
        return get(sha) != null;
    }

    void put(Script script) {
        scripts.put(script.sha(), script);
    }

    /** Forgets every script (SCRIPT FLUSH). */
    public void clear() {
        scripts.clear();
    }

    /** Lower-case hex SHA1 of {@code data}. */
    public static String sha1(byte[] data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(data);
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha1(LuaString s) {
        byte[] bytes = new byte[s.length()];
        s.copyInto(0, bytes, 0, bytes.length);
        return sha1(bytes);
    }
}
