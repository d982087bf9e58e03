package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0352 Client State Indication over raw sockets: Alice's phone says it is inactive, Bob and Carol send it
 * directed presence, chat states and messages. Whether a stanza reached the phone's filter is read off the
 * gateway's {@code xmpp.csi.held} counters, so no assertion depends on a pause.
 */
class CsiEndToEndTest {

    private static AviaryTestServer server;
    private RawXmppSocket phone;
    private RawXmppSocket bob;
    private RawXmppSocket carol;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.gateway.csi.max-held=4");
        for (String user : new String[] {"alice", "bob", "carol"}) {
            server.accounts().register(user, user + "-secret");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void login() throws IOException {
        phone = RawXmppSocket.loggedIn(server.c2sPort(), "alice", "alice-secret", "phone");
        bob = RawXmppSocket.loggedIn(server.c2sPort(), "bob", "bob-secret", "pc");
        carol = RawXmppSocket.loggedIn(server.c2sPort(), "carol", "carol-secret", "pc");
    }

    @AfterEach
    void logout() throws IOException {
        phone.close();
        bob.close();
        carol.close();
    }

    private static double held(String outcome) {
        Counter counter = server.context().getBean(MeterRegistry.class).find("xmpp.csi.held").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits (at most 10 s) until the phone's filter has dropped {@code n} more superseded presences. */
    private static void awaitDropped(double before, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (held("dropped") < before + n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(held("dropped")).as("superseded presences dropped").isEqualTo(before + n);
    }

    /** Says the phone is inactive and waits until it is: a ping sent after it is answered once it took effect. */
    private void inactive() throws IOException {
        String reply = phone.send("<inactive xmlns='urn:xmpp:csi:0'/>"
                + "<iq type='get' id='csi-on' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>").readUntil("csi-on", 10_000);
        assertThat(reply).contains("csi-on");
    }

    private static void presence(RawXmppSocket from, String status) throws IOException {
        from.send("<presence to='alice@localhost/phone'><status>" + status + "</status></presence>");
    }

    private static String composing(String id) {
        return "<message type='chat' id='" + id + "' to='alice@localhost/phone'>"
                + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>";
    }

    @Test
    void theStreamFeatureIsOffered() throws IOException {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
            raw.upgradeToTls();
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            String plain = java.util.Base64.getEncoder().encodeToString("\0alice\0alice-secret".getBytes());
            raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>")
                    .readUntil("<success", 5000);
            int before = raw.received().length();
            raw.send(RawXmppSocket.HEADER);
            long deadline = System.currentTimeMillis() + 5000;
            while (!raw.received().substring(before).contains("</stream:features>") && System.currentTimeMillis() < deadline) {
                raw.readUntil("</never>", 200);
            }
            assertThat(raw.received().substring(before)).contains("<csi xmlns=\"urn:xmpp:csi:0\"/>");
        }
    }

    @Test
    void anInactiveClientGetsOnlyTheLatestPresencePerContactWhenItBecomesActive() throws Exception {
        inactive();
        double dropped = held("dropped");
        presence(carol, "carol first");
        presence(carol, "carol second");
        awaitDropped(dropped, 1);
        presence(bob, "bob first");
        presence(bob, "bob second");
        awaitDropped(dropped, 2);
        assertThat(phone.received()).doesNotContain("<presence");

        String flushed = phone.send("<active xmlns='urn:xmpp:csi:0'/>").readUntil("bob second", 10_000);
        assertThat(flushed).contains("carol second", "bob second").doesNotContain("carol first", "bob first");
        assertThat(flushed.indexOf("carol second")).isLessThan(flushed.indexOf("bob second"));
    }

    @Test
    void aMessageWithABodyArrivesAtOnceAfterWhatWasHeld() throws Exception {
        inactive();
        double dropped = held("dropped");
        bob.send(composing("typing"));
        presence(bob, "bob first");
        presence(bob, "bob second");
        awaitDropped(dropped, 1);
        assertThat(phone.received()).doesNotContain("<presence", "typing");

        bob.send("<message type='chat' id='hello' to='alice@localhost/phone'><body>wake up</body></message>");
        String received = phone.readUntil("wake up", 10_000);
        assertThat(received).contains("typing", "bob second", "wake up").doesNotContain("bob first");
        assertThat(received.indexOf("typing")).isLessThan(received.indexOf("bob second"));
        assertThat(received.indexOf("bob second")).isLessThan(received.indexOf("wake up"));
    }

    @Test
    void chatStatesAreHeldAndTheBufferIsFlushedWhenFull() throws Exception {
        inactive();
        double flushed = held("flushed");
        for (int i = 1; i <= 5; i++) {
            bob.send(composing("state-" + i));
        }
        // Four are held (max-held=4); the fifth makes room by writing them.
        String received = phone.readUntil("state-4", 10_000);
        assertThat(received).contains("state-1", "state-2", "state-3", "state-4").doesNotContain("state-5");
        assertThat(held("flushed")).isEqualTo(flushed + 4);

        assertThat(phone.send("<active xmlns='urn:xmpp:csi:0'/>").readUntil("state-5", 10_000)).contains("state-5");
    }
}
