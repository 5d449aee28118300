package io.spinel.scripting;

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
     * {@link IllegalArgumentException} with Redis's error when it is missing or malformed.
     */
    static String libraryName(byte[] code) {
        int shebang = ScriptFlags.shebangLength(code);
        if (shebang == 0) {
            throw new IllegalArgumentException("ERR Missing library metadata");
        }
        String[] parts = new String(code, 2, shebang - 2, StandardCharsets.ISO_8859_1).split(" ", -1);
        if (!parts[0].equals("lua")) {
            throw new IllegalArgumentException("ERR Engine '" + parts[0] + "' not found");
        }
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("name=")) {
                name = parts[i].substring(5);
            } else {
                throw new IllegalArgumentException("ERR Invalid metadata value given: " + parts[i]);
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new IllegalArgumentException("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        return name;
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
