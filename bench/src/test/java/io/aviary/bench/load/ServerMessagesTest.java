package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link ServerMessages} read over HTTP from a Prometheus text endpoint, as a server's actuator serves it. */
class ServerMessagesTest {

    private static String exposition(long out) {
        return """
                # HELP xmpp_stanzas_total stanzas by direction and kind
                # TYPE xmpp_stanzas_total counter
                xmpp_stanzas_total{application="aviary",direction="in",kind="message"} 999.0
                xmpp_stanzas_total{application="aviary",direction="out",kind="iq"} 77.0
                xmpp_stanzas_total{application="aviary",direction="out",kind="message"} %d.0
                xmpp_stanzas_total_created{application="aviary",direction="out",kind="message"} 1.7e9
                """.formatted(out);
    }

    @Test
    void countsOnlyTheMessagesSentToClients() {
        assertThat(ServerMessages.sentIn(exposition(1234))).isEqualTo(1234);
        assertThat(ServerMessages.sentIn("# no such series\n")).isZero();
    }

    @Test
    void aRateBetweenTwoSamplesOfARealEndpoint() throws Exception {
        AtomicLong sent = new AtomicLong(1_000);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/prometheus", exchange -> {
            byte[] body = exposition(sent.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/prometheus");
            ServerMessages before = ServerMessages.of(uri);
            Thread.sleep(200);
            sent.addAndGet(500);
            ServerMessages after = ServerMessages.of(uri);
            assertThat(after.sent() - before.sent()).isEqualTo(500);
            // 500 messages in at least the 0.2 s slept: at most 2,500 a second
            assertThat(after.perSecondSince(before)).isGreaterThan(0).isLessThanOrEqualTo(2_500);
            assertThat(ServerMessages.of(null)).isNull();
            assertThatThrownBy(() -> ServerMessages.of(uri.resolve("/missing"))).hasMessageContaining("404");
        } finally {
            server.stop(0);
        }
    }
}
