package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-band registration (XEP-0077) is limited per client address: one address cannot create accounts by the
 * hundred, others still can, and Bob and Carol keep chatting.
 */
class RegistrationThrottleEndToEndTest {

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start(
                "aviary.gateway.registration-open=true",
                "aviary.gateway.auth.registrations-per-address=3");
        bystanders = new BystanderPair(server);
    }

    @AfterAll
    static void stop() {
        bystanders.close();
        server.close();
    }

    @AfterEach
    void bystandersKeepChatting() throws Exception {
        bystanders.stillChat();
    }

    @Test
    void oneAddressRegistersOnlyAFewAccounts() throws Exception {
        // A taken username creates nothing, so it costs nothing.
        assertThat(registerFrom("127.0.0.2", "bob")).contains("<conflict");
        for (int i = 1; i <= 3; i++) {
            assertThat(registerFrom("127.0.0.2", "spam" + i)).contains("type=\"result\"");
        }
        for (int i = 4; i <= 20; i++) {
            // XEP-0077 §3.1.1: not-acceptable for an entity that "attempts to register too many times".
            assertThat(registerFrom("127.0.0.2", "spam" + i)).contains("<not-acceptable").doesNotContain("type=\"result\"");
        }
        assertThat(server.accounts().register("spam4", "taken-if-spam4-was-free").ok()).isTrue();
        assertThat(registerFrom("127.0.0.3", "someone-else")).contains("type=\"result\"");
    }

    /** Registers {@code user} over STARTTLS from {@code localAddress}, then closes; returns what the server said. */
    private static String registerFrom(String localAddress, String user) throws IOException {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort(), localAddress)) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
            raw.upgradeToTls();
            assertThat(raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000))
                    .contains("<register xmlns=\"http://jabber.org/features/iq-register\"/>");
            raw.send("<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>" + user
                    + "</username><password>" + user + "-pw</password></query></iq></stream:stream>");
            return raw.readUntil("</stream:stream>", 10_000);
        }
    }
}
