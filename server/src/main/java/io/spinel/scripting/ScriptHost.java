package io.spinel.scripting;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * What the {@code redis} table of the Lua environment calls back into: the server side of
 * {@code redis.call}, {@code redis.log}, {@code redis.setresp}... Implemented by the runner for the
 * script being run; called on the thread running the script.
 */
interface ScriptHost {
    /** redis.call ({@code raise}: errors raise a Lua error) or redis.pcall (errors are returned). */
    LuaValue call(Varargs args, boolean raise);

    /** redis.log(level, message...). */
    void log(int level, String message);

    /** redis.setresp(2|3). */
    void setResp(int protocol);

    /** redis.set_repl(flags). */
    void setRepl(int flags);

    /** redis.acl_check_cmd(command, args...): whether the user may run it. */
    boolean aclCheck(Varargs args);

    /** redis.register_function(...), only while FUNCTION LOAD runs a library's body. */
    void registerFunction(Varargs args);

    /** Called every few thousand Lua instructions: stops the script when it was killed. */
    void checkpoint();

    /** Whether the running script was killed: pcall must not swallow the kill. */
    boolean killed();
}
