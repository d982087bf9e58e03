package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/** RFC 6121 §3 with Smack's roster: requests, approvals, pre-approval, pending requests, races, cancellation. */
class SubscriptionEndToEndTest {

    /** Bounds the subscription round trips; generous, since each step is a durable commit on a possibly busy disk. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        for (String user : new String[] {"romeo", "juliet", "nurse", "tybalt", "mercutio", "benvolio", "paris", "friar", "montague", "capulet", "lady", "gregory"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    static BareJid jid(String user) {
        return JidCreate.bareFromOrThrowUnchecked(user + "@" + AviaryTestServer.DOMAIN);
    }

    /** Makes two connected users each other's contacts, subscribed both ways, accepting requests from then on. */
    static void subscribeBothWays(XMPPTCPConnection one, String oneUser, XMPPTCPConnection other, String otherUser)
            throws Exception {
        Roster.getInstanceFor(one).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster.getInstanceFor(other).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster.getInstanceFor(one).createItemAndRequestSubscription(jid(otherUser), otherUser, null);
        Roster.getInstanceFor(other).createItemAndRequestSubscription(jid(oneUser), oneUser, null);
        await().atMost(WAIT).until(() -> typeOf(Roster.getInstanceFor(one), otherUser) == ItemType.both
                && typeOf(Roster.getInstanceFor(other), oneUser) == ItemType.both);
    }

    static ItemType typeOf(Roster roster, String user) {
        RosterEntry entry = roster.getEntry(jid(user));
        return entry == null ? null : entry.getType();
    }

    /** Subscription requests a manual-mode client receives. */
    static BlockingQueue<Presence> requests(XMPPTCPConnection connection) {
        BlockingQueue<Presence> requests = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(p -> requests.add((Presence) p),
                s -> s instanceof Presence p && p.getType() == Presence.Type.subscribe);
        return requests;
    }

    static void send(XMPPTCPConnection from, String to, Presence.Type type) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildPresenceStanza().to(jid(to)).ofType(type).build());
    }

    @Test
    void aRequestApprovedByTheContactGivesToAndFromAndPresence() throws Exception {
        XMPPTCPConnection romeo = login("romeo", "orchard");
        XMPPTCPConnection juliet = login("juliet", "balcony");
        try {
            Roster julietRoster = Roster.getInstanceFor(juliet);
            julietRoster.setSubscriptionMode(Roster.SubscriptionMode.manual);
            BlockingQueue<Presence> julietRequests = requests(juliet);
            Roster romeoRoster = Roster.getInstanceFor(romeo);

            romeoRoster.createItemAndRequestSubscription(jid("juliet"), "Juliet", new String[] {"Capulets"});

            await().atMost(WAIT).until(() -> romeoRoster.getEntry(jid("juliet")) != null
                    && romeoRoster.getEntry(jid("juliet")).isSubscriptionPending());
            assertThat(typeOf(romeoRoster, "juliet")).isEqualTo(ItemType.none);
            Presence request = julietRequests.poll(10, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.getFrom().toString()).isEqualTo("romeo@localhost"); // stamped with the bare JID
            assertThat(julietRoster.getEntry(jid("romeo"))).as("pending-in is not a roster item").isNull();

            send(juliet, "romeo", Presence.Type.subscribed);

            await().atMost(WAIT).until(() -> typeOf(romeoRoster, "juliet") == ItemType.to);
            await().atMost(WAIT).until(() -> typeOf(julietRoster, "romeo") == ItemType.from);
            assertThat(romeoRoster.getEntry(jid("juliet")).isSubscriptionPending()).isFalse();
            // §3.1.5: the new subscriber gets the contact's current presence.
            await().atMost(WAIT).until(() -> romeoRoster.getPresence(jid("juliet")).isAvailable());
            assertThat(romeoRoster.getEntry(jid("juliet")).getName()).isEqualTo("Juliet");
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }

    @Test
    void aRequestToAnOfflineContactIsDeliveredAtItsNextLogin() throws Exception {
        XMPPTCPConnection nurse = login("nurse", "kitchen");
        try {
            Roster.getInstanceFor(nurse).createItemAndRequestSubscription(jid("tybalt"), null, null);
            await().atMost(WAIT).until(() -> typeOf(Roster.getInstanceFor(nurse), "tybalt") == ItemType.none);
        } finally {
            nurse.disconnect();
        }
        XMPPTCPConnection tybalt = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "tybalt", "tybalt-secret", null)
                .setResource("street").build());
        try {
            Roster.getInstanceFor(tybalt).setSubscriptionMode(Roster.SubscriptionMode.manual);
            BlockingQueue<Presence> requests = requests(tybalt);
            tybalt.connect().login();
            Presence request = requests.poll(10, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.getFrom().toString()).isEqualTo("nurse@localhost");
        } finally {
            tybalt.disconnect();
        }
    }

    @Test
    void aRequestKeptForAnOfflineContactArrivesWhole() throws Exception {
        XMPPTCPConnection lady = login("lady", "hall");
        try {
            // RFC 6121 §3.1.3: the contact's server delivers "the complete subscription request stanza", id,
            // status and extensions (here a XEP-0172 nick) included, also when it kept it for a later login.
            lady.sendStanza(StanzaBuilder.buildPresence("req-42").to(jid("gregory")).ofType(Presence.Type.subscribe)
                    .setStatus("It is the Lady Capulet")
                    .addExtension(StandardExtensionElement.builder("nick", "http://jabber.org/protocol/nick")
                            .setText("Lady Capulet").build()).build());
            await().atMost(WAIT).until(() -> typeOf(Roster.getInstanceFor(lady), "gregory") == ItemType.none);
        } finally {
            lady.disconnect();
        }
        XMPPTCPConnection gregory = new XMPPTCPConnection(
                XmppClients.startTls(server.c2sPort(), "gregory", "gregory-secret", null).setResource("gate").build());
        try {
            Roster.getInstanceFor(gregory).setSubscriptionMode(Roster.SubscriptionMode.manual);
            BlockingQueue<Presence> requests = requests(gregory);
            gregory.connect().login();
            Presence request = requests.poll(10, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.getFrom().toString()).isEqualTo("lady@localhost");
            assertThat(request.getStanzaId()).isEqualTo("req-42");
            assertThat(request.getStatus()).isEqualTo("It is the Lady Capulet");
            assertThat(request.getExtension(new QName("http://jabber.org/protocol/nick", "nick"))).isNotNull();
        } finally {
            gregory.disconnect();
        }
    }

    @Test
    void bothAskingAtOnceEndsInBothForBoth() throws Exception {
        XMPPTCPConnection mercutio = login("mercutio", "square");
        XMPPTCPConnection benvolio = login("benvolio", "square");
        try {
            Roster mercutioRoster = Roster.getInstanceFor(mercutio);
            Roster benvolioRoster = Roster.getInstanceFor(benvolio);
            mercutioRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            benvolioRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);

            CompletableFuture<Void> one = CompletableFuture.runAsync(() -> request(mercutioRoster, "benvolio"));
            CompletableFuture<Void> two = CompletableFuture.runAsync(() -> request(benvolioRoster, "mercutio"));
            CompletableFuture.allOf(one, two).get(10, TimeUnit.SECONDS);

            await().atMost(WAIT).until(() -> typeOf(mercutioRoster, "benvolio") == ItemType.both
                    && typeOf(benvolioRoster, "mercutio") == ItemType.both);
            assertThat(mercutioRoster.getEntry(jid("benvolio")).isSubscriptionPending()).isFalse();
            assertThat(benvolioRoster.getEntry(jid("mercutio")).isSubscriptionPending()).isFalse();
            await().atMost(WAIT).until(() -> mercutioRoster.getPresence(jid("benvolio")).isAvailable()
                    && benvolioRoster.getPresence(jid("mercutio")).isAvailable());

            // §2.5.2: removing the item cancels both directions for the contact too.
            mercutioRoster.removeEntry(mercutioRoster.getEntry(jid("benvolio")));
            await().atMost(WAIT).until(() -> typeOf(benvolioRoster, "mercutio") == ItemType.none);
            await().atMost(WAIT).until(() -> !benvolioRoster.getPresence(jid("mercutio")).isAvailable());
            assertThat(mercutioRoster.getEntry(jid("benvolio"))).isNull();
        } finally {
            mercutio.disconnect();
            benvolio.disconnect();
        }
    }

    private static void request(Roster roster, String contact) {
        try {
            roster.createItemAndRequestSubscription(jid(contact), null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPreApprovedRequestIsGrantedWithoutAskingTheContact() throws Exception {
        XMPPTCPConnection paris = login("paris", "church");
        XMPPTCPConnection friar = login("friar", "cell");
        try {
            Roster parisRoster = Roster.getInstanceFor(paris);
            Roster friarRoster = Roster.getInstanceFor(friar);
            friarRoster.setSubscriptionMode(Roster.SubscriptionMode.manual);
            BlockingQueue<Presence> friarRequests = requests(friar);
            assertThat(friarRoster.isSubscriptionPreApprovalSupported()).isTrue();

            friarRoster.preApproveAndCreateEntry(jid("paris"), "Paris", null);
            await().atMost(WAIT).until(() -> friarRoster.getEntry(jid("paris")) != null
                    && friarRoster.getEntry(jid("paris")).isApproved());
            parisRoster.createItemAndRequestSubscription(jid("friar"), null, null);

            await().atMost(WAIT).until(() -> typeOf(parisRoster, "friar") == ItemType.to);
            await().atMost(WAIT).until(() -> typeOf(friarRoster, "paris") == ItemType.from);
            assertThat(friarRequests).as("a pre-approved request is not shown").isEmpty();

            // Unsubscribing ends the contact's 'from' and the subscriber's view of its presence.
            send(paris, "friar", Presence.Type.unsubscribe);
            await().atMost(WAIT).until(() -> typeOf(friarRoster, "paris") == ItemType.none);
            await().atMost(WAIT).until(() -> typeOf(parisRoster, "friar") == ItemType.none);
        } finally {
            paris.disconnect();
            friar.disconnect();
        }
    }

    @Test
    void cancellingAnAccountUnsubscribesItsContactsAndDropsItsRosterAndOfflineMessages() throws Exception {
        XMPPTCPConnection montague = login("montague", "house");
        XMPPTCPConnection capulet = login("capulet", "house");
        try {
            Roster montagueRoster = Roster.getInstanceFor(montague);
            Roster capuletRoster = Roster.getInstanceFor(capulet);
            montagueRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            capuletRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            montagueRoster.createItemAndRequestSubscription(jid("capulet"), null, null);
            capuletRoster.createItemAndRequestSubscription(jid("montague"), null, null);
            await().atMost(WAIT).until(() -> typeOf(capuletRoster, "montague") == ItemType.both
                    && typeOf(montagueRoster, "capulet") == ItemType.both);
            // A message kept offline for Montague (his only resource has a negative priority).
            montague.sendStanza(montague.getStanzaFactory().buildPresenceStanza().setPriority(-1).build());
            await().atMost(WAIT).until(() ->
                    capuletRoster.getPresence(jid("montague")).getPriority() == -1);
            capulet.sendStanza(capulet.getStanzaFactory().buildMessageStanza().to(jid("montague"))
                    .ofType(Message.Type.chat).setBody("kept for you").build());

            XmppClients.cancelAccount(montague);

            // XEP-0077 §3.2: the contact is unsubscribed both ways and sees Montague go.
            await().atMost(WAIT).until(() -> typeOf(capuletRoster, "montague") == ItemType.none);
            await().atMost(WAIT).until(() -> !capuletRoster.getPresence(jid("montague")).isAvailable());
        } finally {
            montague.disconnect();
            capulet.disconnect();
        }
        assertThat(server.accounts().register("montague", "montague-secret").ok()).isTrue();
        XMPPTCPConnection reborn = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "montague", "montague-secret", null)
                .setResource("house").build());
        BlockingQueue<Message> inbox = XmppClients.inbox(reborn);
        reborn.connect().login();
        try {
            Roster roster = Roster.getInstanceFor(reborn);
            await().atMost(WAIT).until(roster::isLoaded);
            assertThat(roster.getEntries()).isEmpty();
            assertThat(XmppClients.next(inbox, Duration.ofSeconds(2))).isNull();
        } finally {
            reborn.disconnect();
        }
    }
}
