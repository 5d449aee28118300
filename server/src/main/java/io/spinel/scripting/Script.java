package io.spinel.scripting;

import org.luaj.vm2.Prototype;

/**
 * A compiled EVAL script: its SHA1, body, compiled main chunk and shebang flags
 * ({@link ScriptFlags}; {@link ScriptFlags#EVAL_COMPAT} when it has no shebang). Immutable.
 */
public record Script(String sha, byte[] body, Prototype prototype, int flags) {
}
