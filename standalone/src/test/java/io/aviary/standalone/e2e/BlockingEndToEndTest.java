package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import io.aviary.xep0191.BlockListStore;
import io.aviary.xep0377.AbuseReport;
import io.aviary.xep0377.AbuseReports;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0191: the block list, its pushes, and what a block does to stanzas both ways. */
class BlockingEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(1500);

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
            server.accounts().register(user, user + "-secret");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    private static Jid jid(String address) throws Exception {
        return JidCreate.from(address);
    }

    private static List<String> strings(List<Jid> jids) {
        assertThat(jids).as("a block list or push").isNotNull();
        return jids.stream().map(Jid::toString).toList();
    }

    /** Every stanza a connection receives that matches, as it arrives. */
    private static <T extends Stanza> BlockingQueue<T> collect(XMPPTCPConnection connection, Class<T> kind) {
        BlockingQueue<T> queue = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(stanza -> queue.add(kind.cast(stanza)), kind::isInstance);
        return queue;
    }

    @Test
    void blockingAContactSendsItUnavailableAndUnblockingTheCurrentPresence() throws Exception {
        server.accounts().register("erin", "erin-secret");
        server.accounts().register("frank", "frank-secret");
        XMPPTCPConnection erin = login("erin", "home");
        XMPPTCPConnection frank = login("frank", "home");
        try {
            Roster erinRoster = Roster.getInstanceFor(erin);
            Roster frankRoster = Roster.getInstanceFor(frank);
            erinRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            frankRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            erinRoster.createItemAndRequestSubscription(JidCreate.entityBareFrom("frank@localhost"), null, null);
            frankRoster.createItemAndRequestSubscription(JidCreate.entityBareFrom("erin@localhost"), null, null);
            Awaitility.await().atMost(WAIT).until(() -> frankRoster.getPresence(JidCreate.entityBareFrom("erin@localhost")).isAvailable());
            BlockingQueue<Presence> frankSees = collect(frank, Presence.class);

            // XEP-0191 §3.3: the blocked contact, a subscriber, is told Erin went away.
            BlockingCommandManager.getInstanceFor(erin).blockContacts(List.of(jid("frank@localhost")));
            Presence gone = nextFrom(frankSees, "erin@localhost/home");
            assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);

            // §3.4: unblocking sends Erin's current presence again.
            BlockingCommandManager.getInstanceFor(erin).unblockContacts(List.of(jid("frank@localhost")));
            Presence back = nextFrom(frankSees, "erin@localhost/home");
            assertThat(back.getType()).isEqualTo(Presence.Type.available);
        } finally {
            erin.disconnect();
            frank.disconnect();
        }
    }

    private static Presence nextFrom(BlockingQueue<Presence> queue, String from) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Presence presence = queue.poll(100, TimeUnit.MILLISECONDS);
            if (presence != null && from.equals(String.valueOf(presence.getFrom()))) {
                return presence;
            }
        }
        throw new AssertionError("no presence from " + from);
    }

    @Test
    void blockUnblockAndUnblockAllArePushedToTheOtherResource() throws Exception {
        XMPPTCPConnection desk = login("alice", "desk");
        XMPPTCPConnection phone = login("alice", "phone");
        try {
            BlockingCommandManager deskBlocking = BlockingCommandManager.getInstanceFor(desk);
            BlockingCommandManager phoneBlocking = BlockingCommandManager.getInstanceFor(phone);
            assertThat(deskBlocking.getBlockList()).isEmpty();
            assertThat(phoneBlocking.getBlockList()).isEmpty();
            BlockingQueue<List<Jid>> blockedOnPhone = new LinkedBlockingQueue<>();
            phoneBlocking.addJidsBlockedListener(blockedOnPhone::add);
            BlockingQueue<List<Jid>> unblockedOnPhone = new LinkedBlockingQueue<>();
            phoneBlocking.addJidsUnblockedListener(unblockedOnPhone::add);
            BlockingQueue<Boolean> allUnblockedOnPhone = new LinkedBlockingQueue<>();
            phoneBlocking.addAllJidsUnblockedListener(() -> allUnblockedOnPhone.add(true));

            deskBlocking.blockContacts(List.of(jid("mallory@localhost"), jid("spam.example")));
            assertThat(strings(blockedOnPhone.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)))
                    .containsExactlyInAnyOrder("mallory@localhost", "spam.example");
            // Smack caches the list and updates it from pushes, which the phone has had by now.
            assertThat(strings(phoneBlocking.getBlockList())).containsExactlyInAnyOrder("mallory@localhost", "spam.example");

            deskBlocking.unblockContacts(List.of(jid("spam.example")));
            assertThat(strings(unblockedOnPhone.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))).containsExactly("spam.example");
            assertThat(strings(phoneBlocking.getBlockList())).containsExactly("mallory@localhost");

            deskBlocking.unblockAll();
            assertThat(allUnblockedOnPhone.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(phoneBlocking.getBlockList()).isEmpty();
            assertThat(server.context().getBean(BlockListStore.class).blocked("alice")).isEmpty();
        } finally {
            desk.disconnect();
            phone.disconnect();
        }
    }

    @Test
    void aBlockWithASpamReportFillsTheOperatorsReviewQueue() throws Exception {
        XMPPTCPConnection carol = login("carol", "report");
        try {
            assertThat(ServiceDiscoveryManager.getInstanceFor(carol).discoverInfo(jid("localhost"))
                    .containsFeature("urn:xmpp:reporting:1")).isTrue();
            carol.sendIqRequestAndWaitForResponse(RawIq.set(null, "block", "urn:xmpp:blocking",
                    "<item jid='spammer@elsewhere.example'><report xmlns='urn:xmpp:reporting:1'"
                            + " reason='urn:xmpp:reporting:spam'><stanza-id xmlns='urn:xmpp:sid:0'"
                            + " by='carol@localhost' id='sid-1'/><stanza-id xmlns='urn:xmpp:sid:0'"
                            + " by='carol@localhost' id='sid-2'/><text xml:lang='en'>Free potions, twice a day"
                            + "</text></report></item>"
                            // A report without a reason is left out; its block stands.
                            + "<item jid='pest@elsewhere.example'><report xmlns='urn:xmpp:reporting:1'/></item>"));
            assertThat(strings(BlockingCommandManager.getInstanceFor(carol).getBlockList()))
                    .contains("spammer@elsewhere.example", "pest@elsewhere.example");

            List<AbuseReport> queue = server.context().getBean(AbuseReports.class).open(100).stream()
                    .filter(report -> report.reporter().equals("carol@localhost")).toList();
            assertThat(queue).singleElement().satisfies(report -> {
                assertThat(report.reported()).isEqualTo("spammer@elsewhere.example");
                assertThat(report.reason()).isEqualTo("urn:xmpp:reporting:spam");
                assertThat(report.text()).isEqualTo("Free potions, twice a day");
                assertThat(report.stanzaIds()).containsExactly("sid-1", "sid-2");
                assertThat(report.open()).isTrue();
            });
        } finally {
            carol.disconnect();
        }
    }

    @Test
    void badCommandsAndOtherPeoplesListsAreRefused() throws Exception {
        XMPPTCPConnection bob = login("bob", "desk");
        try {
            assertThat(RawIq.errorOf(bob, RawIq.set(null, "block", "urn:xmpp:blocking", "")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(RawIq.errorOf(bob, RawIq.set(null, "block", "urn:xmpp:blocking", "<item jid='@@'/>")))
                    .isEqualTo(StanzaError.Condition.jid_malformed);
            assertThat(RawIq.errorOf(bob, RawIq.get(jid("alice@localhost"), "blocklist", "urn:xmpp:blocking", "")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            assertThat(RawIq.errorOf(bob, RawIq.set(jid("alice@localhost"), "block", "urn:xmpp:blocking",
                    "<item jid='bob@localhost'/>"))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(BlockingCommandManager.getInstanceFor(bob).getBlockList()).isEmpty();
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void aBlockedContactLooksOfflineAndTheBlockerCannotWriteToIt() throws Exception {
        XMPPTCPConnection carol = login("carol", "home");
        XMPPTCPConnection dave = login("dave", "home");
        try {
            BlockingQueue<Message> carolMessages = collect(carol, Message.class);
            BlockingQueue<Message> daveMessages = collect(dave, Message.class);
            BlockingQueue<Presence> davePresences = collect(dave, Presence.class);
            BlockingCommandManager.getInstanceFor(carol).blockContacts(List.of(jid("dave@localhost")));

            // Inbound (XEP-0191 §3.3): dave's message is not delivered and bounces with service-unavailable.
            dave.sendStanza(dave.getStanzaFactory().buildMessageStanza().to(jid("carol@localhost/home"))
                    .ofType(Message.Type.chat).setBody("psst").build());
            Message bounce = daveMessages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(bounce).isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
            // ... and an IQ request gets service-unavailable, even one the server answers for carol.
            assertThat(RawIq.errorOf(dave, RawIq.get(jid("carol@localhost"), "vCard", "vcard-temp", "")))
                    .isEqualTo(StanzaError.Condition.service_unavailable);

            // Outbound: carol's message to dave comes back not-acceptable with <blocked/>.
            carol.sendStanza(carol.getStanzaFactory().buildMessageStanza().to(jid("dave@localhost/home"))
                    .ofType(Message.Type.chat).setBody("go away").build());
            Message refused = carolMessages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(refused).isNotNull();
            assertThat(refused.getType()).isEqualTo(Message.Type.error);
            assertThat(refused.getError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
            ExtensionElement blocked = refused.getError().getExtension("blocked", "urn:xmpp:blocking:errors");
            assertThat(blocked).isNotNull();
            // ... an IQ from carol to dave's account too.
            assertThat(RawIq.errorOf(carol, RawIq.get(jid("dave@localhost"), "vCard", "vcard-temp", "")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            // ... and her directed presence is silently not sent.
            carol.sendStanza(carol.getStanzaFactory().buildPresenceStanza().to(jid("dave@localhost/home")).build());

            assertThat(carolMessages.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).isNull();
            assertThat(davePresences.stream().filter(p -> p.getFrom() != null
                    && p.getFrom().asBareJid().toString().equals("carol@localhost")).toList()).isEmpty();
            assertThat(daveMessages.stream().filter(m -> m.getType() != Message.Type.error).toList()).isEmpty();

            // Unblocked, they talk again.
            BlockingCommandManager.getInstanceFor(carol).unblockContacts(List.of(jid("dave@localhost")));
            dave.sendStanza(dave.getStanzaFactory().buildMessageStanza().to(jid("carol@localhost/home"))
                    .ofType(Message.Type.chat).setBody("friends again?").build());
            Message delivered = carolMessages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(delivered).isNotNull();
            assertThat(delivered.getBody()).isEqualTo("friends again?");
            // carol has no vCard: service-unavailable (XEP-0054 §3.3, the same as for no such account), no longer the
            // blocked not-acceptable, shows the request now reaches the vCard service.
            assertThat(RawIq.errorOf(dave, RawIq.get(jid("carol@localhost"), "vCard", "vcard-temp", "")))
                    .isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            carol.disconnect();
            dave.disconnect();
        }
    }
}
