package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XEP-0198 Stream Management on the standalone server: Smack resuming after its socket dropped, and raw streams for
 * each error case. One server for the class, with a small queue so that a client that never acks overflows soon.
 */
class StreamManagementEndToEndTest {

    private static final String SM = "urn:xmpp:sm:3";
    private static final Pattern ENABLED_ID = Pattern.compile("<enabled[^>]* id=['\"]([^'\"]+)['\"]");

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.gateway.stream-management.max-queue=20",
                "aviary.gateway.stream-management.ack-request-every=5");
        bystanders = new BystanderPair(server);
        for (String user : List.of("alice", "mallory", "nora", "olga", "paul", "quinn", "rhea",
                "sybil")) {
            server.accounts().register(user, user + "-pw");
        }
    }

    @AfterAll
    static void stop() {
        bystanders.close();
        server.close();
    }

    @Test
    void smackResumesAfterItsSocketDroppedAndGetsWhatWasSentMeanwhileOnceInOrder() throws Exception {
        XMPPTCPConnection alice = new XMPPTCPConnection(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null).setResource("phone").build());
        alice.setUseStreamManagement(true);
        alice.setUseStreamManagementResumption(true);
        alice.setReplyTimeout(10_000);
        alice.connect().login();
        try {
            assertThat(alice.isSmEnabled()).isTrue();
            assertThat(alice.isSmResumptionPossible()).isTrue();
            BlockingQueue<Message> inbox = XmppClients.inbox(alice);
            EntityFullJid phone = JidCreate.entityFullFrom("alice@localhost/phone");
            for (int i = 1; i <= 5; i++) {
                bobTells(phone, "m" + i);
            }
            List<String> bodies = new ArrayList<>();
            receive(inbox, bodies, "m5");

            alice.instantShutdown();
            awaitTrue("alice's session hibernated", () -> registry().session(phone).map(SessionEntry::hibernated).orElse(false));
            for (int i = 6; i <= 10; i++) {
                bobTells(phone, "m" + i);
            }
            alice.connect().login();

            assertThat(alice.streamWasResumed()).isTrue();
            receive(inbox, bodies, "m10");
            bobTells(phone, "m11");
            receive(inbox, bodies, "m11");
            assertThat(bodies).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aHibernatedSessionStaysAvailableAndGetsWhatArrivedOnResumption() throws Exception {
        RawXmppSocket first = RawXmppSocket.loggedIn(server.c2sPort(), "nora", "nora-pw", "phone");
        String id = enableResumption(first);
        first.step("<presence/>", "<presence");
        first.abort();
        EntityFullJid phone = JidCreate.entityFullFrom("nora@localhost/phone");
        awaitTrue("nora's session hibernated", () -> registry().session(phone).map(SessionEntry::hibernated).orElse(false));
        assertThat(registry().session(phone)).hasValueSatisfying(s -> assertThat(s.available()).isTrue());

        bobTells(phone, "while you were away");

        try (RawXmppSocket second = RawXmppSocket.authenticated(server.c2sPort(), "nora", "nora-pw")) {
            String reply = second.send("<resume xmlns='" + SM + "' previd='" + id + "' h='1'/>")
                    .readUntil("while you were away", 10_000);
            assertThat(reply).contains("<resumed").contains("previd=\"" + id + "\"").contains("h=\"1\"")
                    .contains("while you were away");
            assertThat(registry().session(phone)).hasValueSatisfying(s -> assertThat(s.hibernated()).isFalse());
        }
        bystanders.stillChat();
    }

    @Test
    void acksCountHandledStanzas() throws Exception {
        try (RawXmppSocket raw = RawXmppSocket.loggedIn(server.c2sPort(), "olga", "olga-pw", "desk")) {
            raw.step("<enable xmlns='" + SM + "'/>", "<enabled");
            raw.step("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>", "type=\"result\"");
            assertThat(raw.step("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq><r xmlns='" + SM + "'/>",
                    "<a ")).contains("h=\"2\"");
            // A second <enable/> is refused (XEP-0198 §3: one attempt per stream).
            assertThat(raw.step("<enable xmlns='" + SM + "'/>", "</failed>")).contains("<unexpected-request");
        }
    }

    @Test
    void enableBeforeBindingAndResumeBeforeAuthenticationOrAfterBindingAreUnexpected() throws Exception {
        try (RawXmppSocket raw = RawXmppSocket.authenticated(server.c2sPort(), "olga", "olga-pw")) {
            assertThat(raw.step("<enable xmlns='" + SM + "' resume='true'/>", "</failed>")).contains("<unexpected-request");
        }
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.step(RawXmppSocket.HEADER, "</stream:features>");
            assertThat(raw.step("<resume xmlns='" + SM + "' previd='x' h='0'/>", "</failed>")).contains("<unexpected-request");
        }
        try (RawXmppSocket raw = RawXmppSocket.loggedIn(server.c2sPort(), "olga", "olga-pw", "desk")) {
            assertThat(raw.step("<resume xmlns='" + SM + "' previd='x' h='0'/>", "</failed>")).contains("<unexpected-request");
            // The stream goes on.
            raw.step("<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>", "type=\"result\"");
        }
    }

    @Test
    void resumingAnUnknownIdOrAnotherAccountsSessionFailsWithItemNotFound() throws Exception {
        try (RawXmppSocket raw = RawXmppSocket.authenticated(server.c2sPort(), "paul", "paul-pw")) {
            String reply = raw.step("<resume xmlns='" + SM + "' previd='no-such-id' h='0'/>", "</failed>");
            assertThat(reply).contains("<item-not-found").doesNotContain(" h=");
            // XEP-0198 §5: the client may bind instead.
            raw.step("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>", "<jid>");
        }
        RawXmppSocket quinn = RawXmppSocket.loggedIn(server.c2sPort(), "quinn", "quinn-pw", "desk");
        String quinnsId = enableResumption(quinn);
        quinn.abort();
        EntityFullJid desk = JidCreate.entityFullFrom("quinn@localhost/desk");
        awaitTrue("quinn's session hibernated", () -> registry().session(desk).map(SessionEntry::hibernated).orElse(false));
        try (RawXmppSocket thief = RawXmppSocket.authenticated(server.c2sPort(), "mallory", "mallory-pw")) {
            String reply = thief.step("<resume xmlns='" + SM + "' previd='" + quinnsId + "' h='0'/>", "</failed>");
            assertThat(reply).contains("<item-not-found").doesNotContain(" h=").doesNotContain("quinn");
        }
        // Quinn's session was left alone.
        assertThat(registry().session(desk)).hasValueSatisfying(s -> assertThat(s.hibernated()).isTrue());
        assertThat(store().state(quinnsId)).hasValueSatisfying(s -> assertThat(s.session().connectionId())
                .isEqualTo(registry().session(desk).orElseThrow().connectionId()));
    }

    @Test
    void resumingAfterTheResumptionTimeFailsWithItemNotFound() throws Exception {
        RawXmppSocket first = RawXmppSocket.loggedIn(server.c2sPort(), "paul", "paul-pw", "short");
        String reply = first.step("<enable xmlns='" + SM + "' resume='true' max='1'/>", "<enabled");
        assertThat(reply).contains("max=\"1\"");
        String id = idOf(reply);
        first.abort();
        awaitTrue("paul's session expired", () -> store().state(id).map(s -> s.hibernatedUntil() != null
                && !Instant.now().isBefore(s.hibernatedUntil())).orElse(true));
        try (RawXmppSocket second = RawXmppSocket.authenticated(server.c2sPort(), "paul", "paul-pw")) {
            assertThat(second.step("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>", "</failed>"))
                    .contains("<item-not-found");
        }
    }

    @Test
    void aCountHigherThanWhatWasSentEndsTheStreamWithHandledCountTooHigh() throws Exception {
        try (RawXmppSocket raw = RawXmppSocket.loggedIn(server.c2sPort(), "olga", "olga-pw", "acks")) {
            raw.step("<enable xmlns='" + SM + "'/>", "<enabled");
            String reply = raw.send("<a xmlns='" + SM + "' h='5'/>").readUntil("</stream:stream>", 10_000);
            assertThat(reply).contains("<undefined-condition").contains("<handled-count-too-high")
                    .contains("send-count=\"0\"");
            assertThat(raw.awaitClose(10_000)).isTrue();
        }
        RawXmppSocket first = RawXmppSocket.loggedIn(server.c2sPort(), "olga", "olga-pw", "resume");
        String id = enableResumption(first);
        first.abort();
        EntityFullJid resume = JidCreate.entityFullFrom("olga@localhost/resume");
        awaitTrue("olga's session hibernated", () -> registry().session(resume).map(SessionEntry::hibernated).orElse(false));
        try (RawXmppSocket second = RawXmppSocket.authenticated(server.c2sPort(), "olga", "olga-pw")) {
            String reply = second.send("<resume xmlns='" + SM + "' previd='" + id + "' h='7'/>")
                    .readUntil("</stream:stream>", 10_000);
            assertThat(reply).contains("<undefined-condition").contains("<handled-count-too-high")
                    .contains("h=\"7\"").contains("send-count=\"0\"");
        }
    }

    @Test
    void aClientThatNeverAcksIsAskedThenCutOffWhileOthersChatOn() throws Exception {
        bystanders.stillChat();
        RawXmppSocket deaf = RawXmppSocket.loggedIn(server.c2sPort(), "mallory", "mallory-pw", "deaf");
        String id = enableResumption(deaf);
        EntityFullJid target = JidCreate.entityFullFrom("mallory@localhost/deaf");
        for (int i = 0; i < 25; i++) {
            bobTells(target, "unacked " + i);
            bystanders.stillChat();
        }
        String received = deaf.readUntil("</stream:stream>", 10_000);
        assertThat(received).contains("<r xmlns=\"" + SM + "\"/>").contains("<resource-constraint");
        assertThat(deaf.awaitClose(10_000)).isTrue();
        // The session ends with the stream: its resumption state expired at once, for the reaper to end it.
        awaitTrue("mallory's resumption state expired", () -> store().state(id)
                .map(s -> s.hibernatedUntil() != null && !Instant.now().isBefore(s.hibernatedUntil())).orElse(true));
        bystanders.stillChat();
    }

    /**
     * RFC 6121 §4.6.3 for a session that outlives its connection: the JIDs it sent directed presence to (here a
     * stranger; a chat room alike) are told it is unavailable when its resumption time ends unresumed, although the
     * connection that sent the presence is long gone.
     */
    @Test
    void aHibernatedSessionThatExpiresEndsItsDirectedPresence() throws Exception {
        XMPPTCPConnection sybil = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "sybil", "sybil-pw", null).setResource("home").build());
        try {
            BlockingQueue<Presence> fromRhea = PresenceEndToEndTest.presencesFrom(sybil, "rhea");
            RawXmppSocket raw = RawXmppSocket.loggedIn(server.c2sPort(), "rhea", "rhea-pw", "phone");
            String id = enableResumption(raw);
            raw.send("<presence/><presence to='sybil@localhost'><status>Hello Sybil</status></presence>");
            Presence directed = fromRhea.poll(10, TimeUnit.SECONDS);
            assertThat(directed).isNotNull();
            assertThat(directed.isAvailable()).isTrue();
            raw.abort();
            EntityFullJid phone = JidCreate.entityFullFrom("rhea@localhost/phone");
            awaitTrue("rhea's session hibernated",
                    () -> registry().session(phone).map(SessionEntry::hibernated).orElse(false));
            assertThat(fromRhea.poll(500, TimeUnit.MILLISECONDS)).as("hibernated: still there").isNull();

            // Nobody resumes it: its resumption time ends now, and the reaper ends it.
            String connection = registry().session(phone).orElseThrow().connectionId();
            assertThat(store().hibernate(id, connection, Instant.now())).isTrue();

            Presence gone = fromRhea.poll(10, TimeUnit.SECONDS);
            assertThat(gone).as("unavailable presence from the expired session").isNotNull();
            assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(gone.getFrom().toString()).isEqualTo("rhea@localhost/phone");
            assertThat(registry().session(phone)).isEmpty();
        } finally {
            sybil.disconnect();
        }
    }

    private static String enableResumption(RawXmppSocket raw) throws Exception {
        String reply = raw.step("<enable xmlns='" + SM + "' resume='true'/>", "<enabled");
        assertThat(reply).contains("resume=\"true\"").contains("max=\"600\"");
        return idOf(reply);
    }

    private static String idOf(String reply) {
        Matcher m = ENABLED_ID.matcher(reply);
        assertThat(m.find()).as("an id in %s", reply).isTrue();
        return m.group(1);
    }

    private static void bobTells(EntityFullJid to, String body) throws Exception {
        XMPPTCPConnection bob = bystanders.bob();
        bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body).build());
    }

    private static void receive(BlockingQueue<Message> inbox, List<String> bodies, String last) throws Exception {
        while (!bodies.contains(last)) {
            Message m = XmppClients.next(inbox, Duration.ofSeconds(10));
            assertThat(m).as("a message up to %s, after %s", last, bodies).isNotNull();
            bodies.add(m.getBody());
        }
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Thread.sleep(50);
        }
    }

    private static SessionRegistry registry() {
        return server.context().getBean(SessionRegistry.class);
    }

    private static ResumptionStore store() {
        return server.context().getBean(ResumptionStore.class);
    }
}
