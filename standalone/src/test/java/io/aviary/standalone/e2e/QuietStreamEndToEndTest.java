package io.aviary.standalone.e2e;

import static io.aviary.standalone.e2e.StreamManagementEndToEndTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A quiet TCP stream gives its XML parser's buffers back between stanzas ({@code aviary.gateway.parser-release-after})
 * and takes a new parser with its next byte, in the middle of the stream's life: the client notices nothing, and the
 * idle timeout, measured by the same timer, still ends a silent stream.
 */
class QuietStreamEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.gateway.parser-release-after=300ms", "aviary.gateway.idle-timeout=3s");
        for (String user : new String[] {"alice", "bob", "carol"}) {
            assertThat(server.accounts().register(user, user + "-pw").ok()).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aQuietStreamGoesOnAfterItsParserWasReleasedEvenInTheMiddleOfAStanza() throws Exception {
        try (RawXmppSocket alice = RawXmppSocket.loggedIn(server.c2sPort(), "alice", "alice-pw", "quiet");
             RawXmppSocket bob = RawXmppSocket.loggedIn(server.c2sPort(), "bob", "bob-pw", "b")) {
            double before = releases();
            awaitTrue("both quiet streams released their parsers", () -> releases() >= before + 2);

            alice.send("<message to='bob@localhost/b' type='chat' id='q1'><body>after a rest</body></message>");
            assertThat(bob.readUntil("after a rest", 5000)).contains("after a rest");

            // Half a stanza is never released: the rest of it, after more than a release period, completes it.
            alice.send("<message to='bob@localhost/b' type='chat' id='q2'><body>spl");
            Thread.sleep(1000);
            alice.send("it</body></message>");
            assertThat(bob.readUntil("<body>split</body>", 5000)).contains("<body>split</body>");

            alice.send("</stream:stream>");
            assertThat(alice.readUntil("</stream:stream>", 5000)).contains("</stream:stream>")
                    .doesNotContain("<stream:error>");
        }
    }

    @Test
    void aSilentStreamStillTimesOutAndOneThatSpeaksDoesNot() throws Exception {
        try (RawXmppSocket silent = RawXmppSocket.loggedIn(server.c2sPort(), "carol", "carol-pw", "silent");
             RawXmppSocket pinging = RawXmppSocket.loggedIn(server.c2sPort(), "carol", "carol-pw", "pinging")) {
            long until = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < until) {
                // A whitespace ping (RFC 6120 §4.6.1) more often than the release period: never idle.
                pinging.send(" ");
                Thread.sleep(200);
            }
            assertThat(silent.readUntil("</stream:stream>", 5000)).contains("<connection-timeout");
            assertThat(pinging.received()).doesNotContain("<stream:error>");
            pinging.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(pinging.readUntil("id=\"p1\"", 5000)).contains("id=\"p1\" type=\"result\"");
        }
    }

    private static double releases() {
        return server.context().getBean(MeterRegistry.class).get("xmpp.stream.parser.releases").counter().count();
    }
}
