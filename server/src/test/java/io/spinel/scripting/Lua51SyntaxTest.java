package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;

/**
 * The Lua 5.1 syntax check: it accepts every corpus script LuaJ compiles (it is only asked when
 * LuaJ refuses, but a false alarm there would still replace LuaJ's message), and on mutated
 * scripts it always ends with a message or null, never an exception. Its messages themselves are
 * compared with Redis's by the corpus (ScriptCorpusDifferentialIT).
 */
class Lua51SyntaxTest {
    private static List<ScriptCorpusDifferentialIT.Case> corpus() throws Exception {
        try (InputStream in = Lua51SyntaxTest.class.getResourceAsStream("/scripting/scripts.txt")) {
            return ScriptCorpusDifferentialIT.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean luajCompiles(LuaEnvironment env, byte[] body) {
        try {
            env.compile(body, "@user_script");
            return true;
        } catch (LuaError e) {
            return false;
        }
    }

    @Test
    void check_acceptsWhatLuajCompiles() throws Exception {
        LuaEnvironment env = new LuaEnvironment(null, false);
        int accepted = 0;
        for (ScriptCorpusDifferentialIT.Case c : corpus()) {
            byte[] body = c.body().replaceFirst("^#!", "--").getBytes(StandardCharsets.ISO_8859_1);
            if (luajCompiles(env, body)) {
                assertThat(Lua51Syntax.check(body, "@user_script")).as(c.name()).isNull();
                accepted++;
            }
        }
        assertThat(accepted).isGreaterThan(150);
    }

    @Test
    void check_endsOnMutatedScripts() throws Exception {
        List<ScriptCorpusDifferentialIT.Case> cases = corpus();
        SplittableRandom random = new SplittableRandom(51);
        byte[] alphabet = "()[]{}=.,;:'\"\\-+*/%^#<>~ \n\tabc019xXeE[[]]==--".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 3000; round++) {
            byte[] body = cases.get(random.nextInt(cases.size())).body().getBytes(StandardCharsets.ISO_8859_1);
            if (body.length == 0) {
                continue;
            }
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                body[random.nextInt(body.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            byte[] mutated = body;
            assertThatCode(() -> Lua51Syntax.check(mutated, "@user_script")).doesNotThrowAnyException();
        }
    }
}
