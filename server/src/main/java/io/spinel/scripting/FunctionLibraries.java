package io.spinel.scripting;

import io.spinel.command.FunctionStore;
import io.spinel.resp.RequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.LuaValue;

/**
 * The FUNCTION libraries: each library's code and the functions its body registered, and an
 * index of every function by name for FCALL. Libraries are installed by the script runner
 * (FUNCTION LOAD runs the body there) and dropped by FUNCTION DELETE / FLUSH. Thread-safe:
 * changes are synchronized, FCALL's lookup reads a concurrent map.
 */
public final class FunctionLibraries {
    /** A registered function: its name, library, Lua callback, description (or null) and flags. */
    public record Function(String name, String library, LuaValue callback, String description, int flags) {
        /** The flag names FUNCTION LIST prints. */
        public List<String> flagNames() {
            return ScriptFlags.names(flags);
        }
    }

    /** A loaded library: name, code (with its shebang) and functions in registration order. */
    public record Library(String name, byte[] code, Map<String, Function> functions) {
    }

    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, Function> functions = new ConcurrentHashMap<>();

    /** The function named {@code name} (case-sensitive, as in Redis), or null. */
    public Function function(String name) {
        return functions.get(name);
    }

    /** Installs a library; returns Redis's error when its name or a function's is taken. */
    synchronized String install(Library library, boolean replace) {
        Library old = libraries.get(library.name());
        if (old != null && !replace) {
            return "ERR Library '" + library.name() + "' already exists";
        }
        for (String name : library.functions().keySet()) {
            Function existing = functions.get(name);
            if (existing != null && !existing.library().equals(library.name())) {
                return "ERR Function " + name + " already exists";
            }
        }
        if (old != null) {
            old.functions().keySet().forEach(functions::remove);
        }
        libraries.put(library.name(), library);
        functions.putAll(library.functions());
        return null;
    }

    /**
     * FUNCTION RESTORE's install, all or nothing (Redis's libraryJoin): with FLUSH the restored
     * libraries become the only ones; else a library already loaded is an error (APPEND) or is
     * replaced (REPLACE), and a function name another remaining library has is an error. Returns
     * Redis's error, or null when installed.
     */
    synchronized String restore(List<Library> restored, FunctionStore.RestorePolicy policy) {
        if (policy == FunctionStore.RestorePolicy.FLUSH) {
            clear();
        }
        java.util.Set<String> replaced = new java.util.HashSet<>();
        for (Library library : restored) {
            if (libraries.containsKey(library.name())) {
                if (policy != FunctionStore.RestorePolicy.REPLACE) {
                    return "ERR Library " + library.name() + " already exists";
                }
                replaced.add(library.name());
            }
        }
        for (Library library : restored) {
            for (String name : library.functions().keySet()) {
                Function existing = functions.get(name);
                if (existing != null && !replaced.contains(existing.library())) {
                    return "ERR Function " + name + " already exists";
                }
            }
        }
        for (String name : replaced) {
            libraries.remove(name).functions().keySet().forEach(functions::remove);
        }
        for (Library library : restored) {
            libraries.put(library.name(), library);
            functions.putAll(library.functions());
        }
        return null;
    }

    /** FUNCTION DELETE: false when there is no such library. */
    public synchronized boolean delete(String name) {
        Library library = libraries.remove(name);
        if (library == null) {
            return false;
        }
        library.functions().keySet().forEach(functions::remove);
        return true;
    }

    /** FUNCTION FLUSH. */
    public synchronized void clear() {
        libraries.clear();
        functions.clear();
    }

    /** The libraries, in load order. */
    public synchronized List<Library> libraries() {
        return new ArrayList<>(libraries.values());
    }

    public int functionCount() {
        return functions.size();
    }

    /**
     * The library name from the code's metadata line ({@code #!lua name=mylib}); throws
     * {@link IllegalArgumentException} with Redis's error when it is missing or malformed. As
     * Redis's functionExtractLibMetaData: the line must end with a newline, its words are split
     * as sdssplitargs splits them (quotes allowed), {@code name=} is matched case-insensitively
     * and may appear once, and the engine name is compared case-insensitively.
     */
    static String libraryName(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new IllegalArgumentException("ERR Missing library metadata");
        }
        int newline = ScriptFlags.shebangLength(code);
        if (newline == code.length) {
            throw new IllegalArgumentException("ERR Invalid library metadata");
        }
        List<byte[]> parts = RequestDecoder.splitArgs(java.util.Arrays.copyOf(code, newline));
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("ERR Invalid library metadata");
        }
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = new String(parts.get(i), StandardCharsets.ISO_8859_1);
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new IllegalArgumentException("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
            } else {
                throw new IllegalArgumentException("ERR Invalid metadata value given: " + cString(part));
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("ERR Library name was not given");
        }
        String engine = cString(new String(parts.get(0), StandardCharsets.ISO_8859_1));
        engine = engine.length() < 2 ? "" : engine.substring(2);
        if (!engine.equalsIgnoreCase("lua")) {
            throw new IllegalArgumentException("ERR Engine '" + engine + "' not found");
        }
        if (!validName(name)) {
            throw new IllegalArgumentException("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        return name;
    }

    /** The text as C's %s prints it: up to its first NUL. */
    private static String cString(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** Letters, digits and underscores, at least one. */
    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
