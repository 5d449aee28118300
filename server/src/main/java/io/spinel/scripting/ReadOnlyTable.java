package io.spinel.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once frozen, as Redis 7 makes the libraries it exposes to
 * scripts ({@code redis}, {@code string}, {@code cjson}...): assignment, {@code rawset},
 * {@code table.insert}/{@code remove}/{@code sort} and {@code setmetatable} all raise Redis's
 * error. Reads and iteration are those of a plain table.
 */
class ReadOnlyTable extends LuaTable {
    static final String READONLY = "Attempt to modify a readonly table";

    private boolean frozen;

    /** Refuses every later change. */
    ReadOnlyTable freeze() {
        frozen = true;
        return this;
    }

    /**
     * Refuses a change once frozen. An assignment in a script ({@code t.x = 1}) fails with the
     * script position in the message, one made by a library function ({@code rawset},
     * {@code table.insert}) without, as in Redis.
     */
    private void check() {
        if (frozen) {
            throw new LuaError(LuaValue.valueOf(READONLY));
        }
    }

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
