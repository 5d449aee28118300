package io.spinel.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * The global table of the scripting environment: read-only once the environment is built (a
 * script cannot create or change globals: Redis's "Attempt to modify a readonly table"), except
 * for {@code KEYS} and {@code ARGV}, which the runner sets before each script through
 * {@link #setTrusted}. Reading a global that does not exist is an error, as in Redis.
 *
 * <p>It must be a {@link Globals} (not a proxy table): LuaJ only calls the debug hook that stops
 * runaway scripts for closures whose environment is a Globals instance.
 */
final class ScriptGlobals extends Globals {
    private boolean frozen;

    ScriptGlobals freeze() {
        frozen = true;
        return this;
    }

    /** Replaces the metatable from Java, even when frozen (a loaded library's globals). */
    void replaceMetatable(LuaValue metatable) {
        boolean was = frozen;
        frozen = false;
        super.setmetatable(metatable);
        frozen = was;
    }

    /** Sets a global from Java, even when frozen (KEYS, ARGV). */
    void setTrusted(String name, LuaValue value) {
        boolean was = frozen;
        frozen = false;
        super.rawset(LuaValue.valueOf(name), value);
        frozen = was;
    }

    /** Refuses a change once frozen; see {@link ReadOnlyTable} for the two forms of the error. */
    private void check() {
        if (frozen) {
            throw new LuaError(LuaValue.valueOf(ReadOnlyTable.READONLY));
        }
    }

    private void checkAssignment() {
        if (frozen) {
            throw new LuaError(ReadOnlyTable.READONLY);
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
