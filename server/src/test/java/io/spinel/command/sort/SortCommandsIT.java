package io.spinel.command.sort;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SortingParams;

/**
 * SORT and SORT_RO over a socket: compared byte for byte with a real Redis (BY and GET patterns,
 * LIMIT, ALPHA, DESC) and through Jedis.
 */
class SortCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static List<String[]> script(String... lines) {
        List<String[]> commands = new ArrayList<>();
        for (String line : lines) {
            commands.add(line.split(" "));
        }
        return commands;
    }

    @Test
    void sort_setByPatterns() {
        servers.assertSameReplies(script(
                "SADD bp:s 1 2 3 4 5",
                "MSET bp:w_1 50 bp:w_2 10 bp:w_3 40 bp:w_4 20 bp:w_5 30",
                "MSET bp:n_1 e bp:n_2 a bp:n_3 d bp:n_4 b bp:n_5 c",
                "SORT bp:s BY bp:w_*",
                "SORT bp:s BY bp:w_* DESC LIMIT 1 3",
                "SORT bp:s BY bp:n_* ALPHA",
                "SORT bp:s BY bp:n_* ALPHA DESC GET # GET bp:w_*",
                "SORT bp:s BY bp:missing_*",
                "SORT bp:s BY nosort",
                "SORT bp:s BY nosort DESC LIMIT 1 2",
                "SORT_RO bp:s BY bp:w_* GET bp:n_*",
                "SET bp:w_3 x",
                "SORT bp:s BY bp:w_*",
                "SORT bp:s BY bp:w_* ALPHA",
                "SADD bp:t b a c",
                "SORT bp:t BY bp:w_*",
                "DEL bp:s bp:t"));
    }

    @Test
    void store_listEncodingFollowsItsSize() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.sadd("st:small", "2", "1");
            assertThat(jedis.sort("st:small", "st:out1")).isEqualTo(2);
            assertThat(jedis.objectEncoding("st:out1")).isEqualTo("listpack");
            assertThat(jedis.lrange("st:out1", 0, -1)).containsExactly("1", "2");
            for (int i = 0; i < 1000; i++) {
                jedis.sadd("st:big", "member-with-some-length-" + i);
            }
            assertThat(jedis.sort("st:big", new SortingParams().alpha(), "st:out2")).isEqualTo(1000);
            assertThat(jedis.objectEncoding("st:out2")).isEqualTo("quicklist");
            assertThat(jedis.lindex("st:out2", 0)).isEqualTo("member-with-some-length-0");
        }
    }

    @Test
    void jedis_sortAndSortRo() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.sadd("js:s", "3", "1", "2");
            assertThat(jedis.sort("js:s")).containsExactly("1", "2", "3");
            assertThat(jedis.sort("js:s", new SortingParams().desc().limit(0, 2))).containsExactly("3", "2");
            assertThat(jedis.sortReadonly("js:s", new SortingParams().alpha())).containsExactly("1", "2", "3");
            jedis.sadd("js:a", "pear", "fig");
            assertThat(jedis.sort("js:a", new SortingParams().alpha().desc())).containsExactly("pear", "fig");
        }
    }
}
