package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamElements;
import org.jivesoftware.smackx.mam.element.MamPrefsIQ;
import org.jivesoftware.smackx.mam.element.MamVersion;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0313 end to end: the router stamps and publishes, the archive service stores, clients query with Smack's
 * MamManager and with raw IQs for what Smack never sends.
 */
class MamEndToEndTest {

    private static final String MAM = "urn:xmpp:mam:2";
    private static final String RSM = "http://jabber.org/protocol/rsm";
    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.archive.max-page=50");
        for (String user : List.of("romeo", "juliet", "nurse", "tybalt", "benvolio", "paris", "friar")) {
            server.accounts().register(user, user + "-secret");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void bothArchivesHoldTheChatInBothDirectionsUnderTheDeliveredStanzaIds() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection juliet = login("juliet");
        try {
            BlockingQueue<Message> romeoInbox = XmppClients.inbox(romeo);
            BlockingQueue<Message> julietInbox = XmppClients.inbox(juliet);
            send(romeo, "juliet", "But soft, what light");
            Message atJuliet = XmppClients.next(julietInbox, Duration.ofSeconds(10));
            send(juliet, "romeo", "Wherefore art thou");
            Message atRomeo = XmppClients.next(romeoInbox, Duration.ofSeconds(10));

            StanzaIdElement julietId = StanzaIdElement.getStanzaId(atJuliet);
            assertThat(julietId.getBy()).isEqualTo("juliet@localhost");
            StanzaIdElement romeoId = StanzaIdElement.getStanzaId(atRomeo);
            assertThat(romeoId.getBy()).isEqualTo("romeo@localhost");

            MamManager.MamQuery julietArchive = mam(juliet).queryArchive(
                    MamManager.MamQueryArgs.builder().limitResultsToJid(jid("romeo")).build());
            assertThat(bodies(julietArchive)).containsExactly("But soft, what light", "Wherefore art thou");
            assertThat(julietArchive.getMamResultExtensions().get(0).getId()).isEqualTo(julietId.getId());
            assertThat(julietArchive.isComplete()).isTrue();

            MamManager.MamQuery romeoArchive = mam(romeo).queryArchive(
                    MamManager.MamQueryArgs.builder().limitResultsToJid(jid("juliet")).build());
            assertThat(bodies(romeoArchive)).containsExactly("But soft, what light", "Wherefore art thou");
            assertThat(romeoArchive.getMamResultExtensions().get(1).getId()).isEqualTo(romeoId.getId());
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }

    @Test
    void anOfflineMessageIsArchivedAndItsDeliveredCopyCarriesTheArchiveId() throws Exception {
        XMPPTCPConnection tybalt = login("tybalt");
        try {
            send(tybalt, "benvolio", "while you were away");
        } finally {
            tybalt.disconnect();
        }
        XMPPTCPConnection benvolio = connection("benvolio");
        BlockingQueue<Message> inbox = XmppClients.inbox(benvolio);
        benvolio.connect().login();
        try {
            Message delivered = XmppClients.next(inbox, Duration.ofSeconds(10));
            assertThat(delivered.getBody()).isEqualTo("while you were away");
            MamManager.MamQuery archive = mam(benvolio).queryArchive(
                    MamManager.MamQueryArgs.builder().limitResultsToJid(jid("tybalt")).build());
            assertThat(bodies(archive)).containsExactly("while you were away");
            assertThat(StanzaIdElement.getStanzaId(delivered).getId())
                    .isEqualTo(archive.getMamResultExtensions().get(0).getId());
        } finally {
            benvolio.disconnect();
        }
    }

    @Test
    void pagesForwardsBackwardsFlippedAndCatchesUpAfterAnId() throws Exception {
        XMPPTCPConnection paris = login("paris");
        XMPPTCPConnection friar = login("friar");
        try {
            BlockingQueue<Message> friarInbox = XmppClients.inbox(friar);
            for (int i = 1; i <= 7; i++) {
                send(paris, "friar", "m" + i);
                assertThat(XmppClients.next(friarInbox, Duration.ofSeconds(10))).isNotNull();
            }
            MamManager mam = mam(friar);
            MamManager.MamQuery forwards = mam.queryArchive(MamManager.MamQueryArgs.builder()
                    .limitResultsToJid(jid("paris")).setResultPageSize(3).build());
            assertThat(bodies(forwards)).containsExactly("m1", "m2", "m3");
            assertThat(forwards.isComplete()).isFalse();
            assertThat(forwards.pageNext(3)).extracting(Message::getBody).containsExactly("m4", "m5", "m6");
            assertThat(forwards.pageNext(3)).extracting(Message::getBody).containsExactly("m7");
            assertThat(forwards.isComplete()).isTrue();

            MamManager.MamQuery backwards = mam.queryArchive(MamManager.MamQueryArgs.builder()
                    .limitResultsToJid(jid("paris")).setResultPageSize(3).queryLastPage().build());
            assertThat(bodies(backwards)).containsExactly("m5", "m6", "m7");
            assertThat(backwards.pagePrevious(3)).extracting(Message::getBody).containsExactly("m2", "m3", "m4");
            assertThat(backwards.pagePrevious(3)).extracting(Message::getBody).containsExactly("m1");
            assertThat(backwards.isComplete()).isTrue();

            // A client that last saw m4 reconnects and asks for what came after it.
            MamManager.MamQuery all = mam.queryArchive(MamManager.MamQueryArgs.builder()
                    .limitResultsToJid(jid("paris")).build());
            String m4 = all.getMamResultExtensions().get(3).getId();
            XMPPTCPConnection again = login("friar");
            try {
                List<String> caughtUp = new ArrayList<>();
                rawQuery(again, form(field("after-id", m4)), "", caughtUp, 3);
                assertThat(caughtUp).containsExactly("m5", "m6", "m7");
                List<String> flipped = new ArrayList<>();
                rawQuery(again, "", "<set xmlns='" + RSM + "'><max>3</max><before/></set><flip-page/>", flipped, 3);
                assertThat(flipped).containsExactly("m7", "m6", "m5");
            } finally {
                again.disconnect();
            }
        } finally {
            paris.disconnect();
            friar.disconnect();
        }
    }

    @Test
    void preferencesNeverAndAlways() throws Exception {
        XMPPTCPConnection nurse = login("nurse");
        XMPPTCPConnection juliet = login("juliet");
        try {
            MamManager mam = mam(nurse);
            // Smack 4.5.0-beta5's MamPrefsResult.asMamPrefs() reads the IQ's stanza namespace (jabber:client) as the
            // MAM version and throws, so the preferences IQs are used directly.
            assertThat(mam.retrieveArchivingPreferences().mamPrefs.getDefault())
                    .isEqualTo(MamPrefsIQ.DefaultBehavior.always);
            MamPrefsIQ update = new MamPrefsIQ(MamVersion.MAM2, List.of(jid("juliet")), List.of(),
                    MamPrefsIQ.DefaultBehavior.never);
            update.setType(IQ.Type.set);
            nurse.sendIqRequestAndWaitForResponse(update);

            BlockingQueue<Message> nurseInbox = XmppClients.inbox(nurse);
            send(juliet, "nurse", "kept");
            XmppClients.next(nurseInbox, Duration.ofSeconds(10));
            XMPPTCPConnection romeo = login("romeo");
            try {
                send(romeo, "nurse", "not kept");
                XmppClients.next(nurseInbox, Duration.ofSeconds(10));
            } finally {
                romeo.disconnect();
            }
            MamManager.MamQuery archive = mam.queryArchive(MamManager.MamQueryArgs.builder().build());
            assertThat(bodies(archive)).containsExactly("kept");
            MamPrefsIQ saved = mam.retrieveArchivingPreferences().mamPrefs;
            assertThat(saved.getDefault()).isEqualTo(MamPrefsIQ.DefaultBehavior.never);
            assertThat(saved.getAlwaysJids()).containsExactly(jid("juliet"));
        } finally {
            nurse.disconnect();
            juliet.disconnect();
        }
    }

    @Test
    void metadataFormAndRetractionTombstone() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection juliet = login("juliet");
        try {
            BlockingQueue<Message> julietInbox = XmppClients.inbox(juliet);
            romeo.sendStanza(romeo.getStanzaFactory().buildMessageStanza().to(jid("juliet")).ofType(Message.Type.chat)
                    .setBody("a secret")
                    .addExtension(new OriginIdElement("origin-oops")).build());
            XmppClients.next(julietInbox, Duration.ofSeconds(10));
            romeo.sendStanza(romeo.getStanzaFactory().buildMessageStanza().to(jid("juliet")).ofType(Message.Type.chat)
                    .setBody("This person attempted to retract a previous message")
                    .addExtension(StandardExtensionElement.builder("retract", "urn:xmpp:message-retract:1")
                            .addAttribute("id", "origin-oops").build())
                    .build());
            XmppClients.next(julietInbox, Duration.ofSeconds(10));

            for (XMPPTCPConnection owner : List.of(romeo, juliet)) {
                MamManager.MamQuery archive = mam(owner).queryArchive(
                        MamManager.MamQueryArgs.builder().limitResultsToJid(jid(owner == romeo ? "juliet" : "romeo"))
                                .queryLastPage().setResultPageSize(2).build());
                Message tombstone = archive.getMessages().get(0);
                assertThat(tombstone.getBody()).isNull();
                assertThat(tombstone.getExtensionElement("retracted", "urn:xmpp:message-retract:1")).isNotNull();
                assertThat(archive.getMessages().get(1).getBody()).startsWith("This person attempted");
            }

            IQ metadata = juliet.sendIqRequestAndWaitForResponse(RawIq.get(null, "metadata", MAM, ""));
            String xml = metadata.toXML().toString();
            assertThat(xml).as("Smack keeps an unknown payload as escaped text")
                    .contains("start id=", "end id=", "timestamp=");

            assertThat(mam(juliet).retrieveFormFields()).extracting(f -> f.getFieldName())
                    .contains("with", "start", "end", "before-id", "after-id", "ids");
            assertThat(mam(juliet).isSupported()).isTrue();
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }

    @Test
    void anotherUsersArchiveMalformedFormsAndUnknownIdsAreRefusedWhileBystandersChat() throws Exception {
        try (BystanderPair bystanders = new BystanderPair(server)) {
            XMPPTCPConnection tybalt = login("tybalt");
            try {
                bystanders.stillChat();
                // XEP-0313 §8.1: another user's archive is 'forbidden'.
                assertThat(RawIq.errorOf(tybalt, RawIq.set(jid("juliet"), "query", MAM, "")))
                        .isEqualTo(StanzaError.Condition.forbidden);
                bystanders.stillChat();
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM, form(field("start", "last tuesday")))))
                        .isEqualTo(StanzaError.Condition.bad_request);
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM,
                        "<x xmlns='jabber:x:data' type='form'/>"))).isEqualTo(StanzaError.Condition.bad_request);
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM, form(field("with", "@@")))))
                        .isEqualTo(StanzaError.Condition.bad_request);
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM, form(field("x-unknown", "1")))))
                        .isEqualTo(StanzaError.Condition.feature_not_implemented);
                bystanders.stillChat();
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM, form(field("after-id", "no-such-id")))))
                        .isEqualTo(StanzaError.Condition.item_not_found);
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM, form(field("ids", "no-such-id")))))
                        .isEqualTo(StanzaError.Condition.item_not_found);
                assertThat(RawIq.errorOf(tybalt, RawIq.set(null, "query", MAM,
                        "<set xmlns='" + RSM + "'><before>no-such-id</before></set>")))
                        .isEqualTo(StanzaError.Condition.item_not_found);
                bystanders.stillChat();
            } finally {
                tybalt.disconnect();
            }
        }
    }

    @Test
    void aCancelledAccountsArchiveGoesWithItAndWhoeverTakesTheNameNextStartsWithNothing() throws Exception {
        server.accounts().register("mercutio", "mercutio-secret");
        XMPPTCPConnection romeo = login("romeo");
        try {
            XMPPTCPConnection mercutio = login("mercutio");
            BlockingQueue<Message> inbox = XmppClients.inbox(mercutio);
            send(romeo, "mercutio", "a plague on both your houses");
            assertThat(XmppClients.next(inbox, Duration.ofSeconds(10))).isNotNull();
            assertThat(bodies(mam(mercutio).queryArchive(MamManager.MamQueryArgs.builder().build())))
                    .containsExactly("a plague on both your houses");
            // XEP-0077 §3.2: the account goes (the server ends its stream), and its archive with it (the archive
            // service hears account.removed).
            XmppClients.cancelAccount(mercutio);

            server.accounts().register("mercutio", "mercutio-secret");
            XMPPTCPConnection next = login("mercutio");
            try {
                BlockingQueue<Message> nextInbox = XmppClients.inbox(next);
                send(romeo, "mercutio", "to the new mercutio");
                assertThat(XmppClients.next(nextInbox, Duration.ofSeconds(10))).isNotNull();
                assertThat(bodies(mam(next).queryArchive(MamManager.MamQueryArgs.builder().build())))
                        .containsExactly("to the new mercutio");
            } finally {
                next.disconnect();
            }
        } finally {
            romeo.disconnect();
        }
    }

    /**
     * Sends a query and collects the bodies of its results, waiting (bounded) for {@code expected} of them: Smack
     * hands the IQ result to the waiting thread while its listener thread may still be at the messages before it.
     */
    private static void rawQuery(XMPPTCPConnection connection, String form, String tail, List<String> bodies,
                                 int expected) throws Exception {
        BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        StanzaListener listener = stanza -> arrived.add(MamElements.MamResultExtension.from((Message) stanza)
                .getForwarded().getForwardedStanza().getBody());
        connection.addSyncStanzaListener(listener,
                s -> s instanceof Message m && MamElements.MamResultExtension.from(m) != null);
        try {
            IQ fin = connection.sendIqRequestAndWaitForResponse(RawIq.set(null, "query", MAM, form + tail));
            assertThat(fin.getType()).isEqualTo(IQ.Type.result);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (bodies.size() < expected && System.nanoTime() < deadline) {
                String body = arrived.poll(100, TimeUnit.MILLISECONDS);
                if (body != null) {
                    bodies.add(body);
                }
            }
            arrived.drainTo(bodies);
        } finally {
            connection.removeSyncStanzaListener(listener);
        }
    }

    private static String form(String fields) {
        return "<x xmlns='jabber:x:data' type='submit'>" + field("FORM_TYPE", MAM) + fields + "</x>";
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    /** The user's archive, discovered as clients do (XEP-0313 §7: the account's disco#info), which Smack needs first. */
    private static MamManager mam(XMPPTCPConnection user) throws Exception {
        MamManager manager = MamManager.getInstanceFor(user);
        assertThat(manager.isSupported()).as("urn:xmpp:mam:2 on the account's disco#info").isTrue();
        return manager;
    }

    private static List<String> bodies(MamManager.MamQuery query) {
        return query.getMessages().stream().map(Message::getBody).toList();
    }

    private static void send(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(jid(to)).ofType(Message.Type.chat)
                .setBody(body).build());
    }

    private static EntityBareJid jid(String user) {
        try {
            return JidCreate.entityBareFrom(user + "@localhost");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static XMPPTCPConnection connection(String user) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(
                XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
        connection.setReplyTimeout(10_000);
        return connection;
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }
}
