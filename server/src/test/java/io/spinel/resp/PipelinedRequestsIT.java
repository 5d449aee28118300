package io.spinel.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pipelines sent in one write to Spinel and to a real Redis (both with a password), whose replies
 * and closing must be identical. Spinel decodes a pipeline's requests a few at a time ahead of
 * running them (to read their keys' memory ahead): these are the requests whose effects change
 * how the next ones are decoded or run (AUTH and the unauthenticated limits, SELECT, QUIT, CLIENT
 * REPLY, MULTI), a request that blocks before others, a protocol error after more requests than are read ahead, and batches with more
 * keys than one read-ahead holds.
 */
class PipelinedRequestsIT {
    @RegisterExtension
    static final Differential servers = new Differential().spinelSettings("requirepass", "pw")
            .redisArgs("--requirepass", "pw");

    static List<String> pipelines() {
        String elevenKeys = "*12\r\n$3\r\nDEL\r\n" + "$2\r\nk0\r\n".repeat(11);
        String bigEcho = "*2\r\n$4\r\nECHO\r\n$20000\r\n" + "x".repeat(20000) + "\r\n";
        String msetTwelve = "MSET" + " k1 1 k2 2 k3 3 k4 4 k5 5 k6 6 k7 7 k8 8 k9 9 k10 10 k11 11 k12 12" + "\r\n";
        return List.of(
                "AUTH pw\r\n" + elevenKeys + bigEcho,
                "GET a\r\nAUTH pw\r\n" + elevenKeys,
                elevenKeys + "GET a\r\n",
                "AUTH pw\r\nSET pk 1\r\nSELECT 1\r\nGET pk\r\nSELECT 0\r\nGET pk\r\nDEL pk\r\n",
                "AUTH pw\r\nSET q 1\r\nQUIT\r\nGET q\r\n",
                "AUTH pw\r\nDEL cnt\r\n" + "INCR cnt\r\n".repeat(40) + "*2\r\n$4\r\nECHO\r\n$abc\r\n",
                "AUTH pw\r\n" + msetTwelve.repeat(3) + "MGET k1 k5 k12 k13\r\nDEL k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12\r\n",
                "AUTH pw\r\nSET r 1\r\nCLIENT REPLY OFF\r\nINCR r\r\nCLIENT REPLY ON\r\nGET r\r\nDEL r\r\n",
                "AUTH pw\r\nMULTI\r\nINCR m\r\nINCR m\r\nEXEC\r\nDEL m\r\n",
                "AUTH pw\r\nRPUSH l a b c\r\nLPOP l\r\nBLPOP l 0\r\nBLPOP l 0\r\nGET l\r\nDEL l\r\n",
                "AUTH pw\r\nSET b 1\r\nBLPOP nolist 0.1\r\nINCR b\r\nGET b\r\nDEL b\r\n");
    }

    @ParameterizedTest
    @MethodSource("pipelines")
    void sameRepliesAndSameClose(String pipeline) {
        assertThat(ProtocolIT.exchange(servers.spinel().port(), pipeline))
                .isEqualTo(ProtocolIT.exchange(servers.redis().port(), pipeline));
    }
}
