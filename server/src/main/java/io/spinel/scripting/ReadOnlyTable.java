package io.spinel.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once frozen, as Redis 7 makes the global table and the
 * libraries it exposes to scripts ({@code redis}, {@code string}, {@code cjson}...):
 * assignment, {@code rawset}, {@code table.insert}/{@code remove}/{@code sort} and
 * {@code setmetatable} all raise Redis's error. An assignment in a script ({@code t.x = 1})
 * fails with the script position in the message, a change made by a library function
 * ({@code rawset}, {@code table.insert}) without, as in Redis. Java may still set entries
 * ({@link #setTrusted}: KEYS and ARGV before each script) and replace the metatable (a library's
 * globals once loaded).
 *
 * <p>It is a {@link Globals} (which is a table) because LuaJ only calls the debug hook that stops
 * runaway scripts for closures whose environment is a Globals instance: the global tables of
 * scripts and of function libraries are instances of this class.
 */
class ReadOnlyTable extends Globals {
    static final String READONLY = "Attempt to modify a readonly table";

    private boolean frozen;

    /** Refuses every later change. */
    ReadOnlyTable freeze() {
        frozen = true;
        return this;
    }

    /** Sets an entry from Java, even when frozen (KEYS, ARGV). */
    void setTrusted(String name, LuaValue value) {
        boolean was = frozen;
        frozen = false;
        super.rawset(LuaValue.valueOf(name), value);
        frozen = was;
    }

    /** Replaces the metatable from Java, even when frozen (a loaded library's globals). */
    void replaceMetatable(LuaValue metatable) {
        boolean was = frozen;
        frozen = false;
        super.setmetatable(metatable);
        frozen = was;
    }

    /** A change made by a library function: the bare message. */
    private void check() {
        if (frozen) {
            throw new LuaError(LuaValue.valueOf(READONLY));
        }
    }

    /** An assignment in a script: LuaJ adds the script position. */
    private void checkAssignment() {
        if (frozen) {
            throw new LuaError(READONLY);
        }
    }

    @Override
    public void set(int key, LuaValue value) {
        checkAssignment();
        super.set(key, value);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        checkAssignment();
        super.set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        check();
        super.rawset(key, value);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        check();
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        check();
        return super.remove(pos);
    }

    @Override
    public void sort(LuaValue comparator) {
        check();
        super.sort(comparator);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        check();
        return super.setmetatable(metatable);
    }
}
