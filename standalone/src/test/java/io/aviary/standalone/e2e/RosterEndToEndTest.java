package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.nio.file.Path;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterGroup;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.roster.rosterstore.DirectoryRosterStore;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.Jid;

/** RFC 6121 §2 and XEP-0237 with Smack: pushes to every interested resource, versions, limits and errors. */
class RosterEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.roster.max-items=3", "aviary.roster.max-name-length=20",
                "aviary.roster.max-group-length=10", "aviary.roster.max-groups=2");
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
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

    /** A roster IQ with whatever query content a test needs, including what Smack's own classes cannot express. */
    static final class RawRosterIq extends IQ {
        private final String queryAttributes;
        private final String content;

        RawRosterIq(Type type, Jid to, String queryAttributes, String content) {
            super("query", RosterPacket.NAMESPACE);
            setType(type);
            setTo(to);
            this.queryAttributes = queryAttributes;
            this.content = content;
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            if (queryAttributes != null) {
                xml.append(' ').append(queryAttributes);
            }
            xml.rightAngleBracket();
            xml.append(content);
            return xml;
        }
    }

    static StanzaError.Condition errorOf(XMPPTCPConnection connection, IQ request) {
        try {
            connection.sendIqRequestAndWaitForResponse(request);
            return null;
        } catch (XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static IQ set(String items) {
        return new RawRosterIq(IQ.Type.set, null, null, items);
    }

    @Test
    void changesArePushedToEveryResourceThatRequestedTheRoster(@TempDir Path rosterCache) throws Exception {
        XMPPTCPConnection desk = login("alice", "desk");
        // The phone caches the roster with its version (XEP-0237), as a mobile client would.
        XMPPTCPConnection phone = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "alice", "alice-secret", null)
                .setResource("phone").build());
        DirectoryRosterStore cache = DirectoryRosterStore.init(rosterCache.toFile());
        Roster phoneRoster = Roster.getInstanceFor(phone);
        phoneRoster.setRosterStore(cache);
        phone.connect().login();
        try {
            Roster deskRoster = Roster.getInstanceFor(desk);
            await().atMost(Duration.ofSeconds(10)).until(phoneRoster::isLoaded);
            String versionBefore = cache.getRosterVersion();

            deskRoster.createItem(SubscriptionEndToEndTest.jid("bob"), "Bob", new String[] {"Friends", "Verona"});

            await().atMost(Duration.ofSeconds(10)).until(() -> phoneRoster.getEntry(SubscriptionEndToEndTest.jid("bob")) != null);
            RosterEntry bob = phoneRoster.getEntry(SubscriptionEndToEndTest.jid("bob"));
            assertThat(bob.getName()).isEqualTo("Bob");
            assertThat(bob.getGroups()).extracting(RosterGroup::getName).containsExactlyInAnyOrder("Friends", "Verona");
            assertThat(bob.getType()).isEqualTo(RosterPacket.ItemType.none);
            // RFC 6121 §2.6.3: the push carried the new version, which the client keeps.
            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.getRosterVersion().equals(versionBefore));
            assertThat(cache.getEntry(SubscriptionEndToEndTest.jid("bob"))).isNotNull();

            deskRoster.removeEntry(deskRoster.getEntry(SubscriptionEndToEndTest.jid("bob")));
            await().atMost(Duration.ofSeconds(10)).until(() -> phoneRoster.getEntry(SubscriptionEndToEndTest.jid("bob")) == null);
        } finally {
            desk.disconnect();
            phone.disconnect();
        }
    }

    @Test
    void anUnchangedRosterIsAnEmptyResultAndAChangedOneComesWithItsNewVersion() throws Exception {
        XMPPTCPConnection carol = login("carol", "home");
        try {
            assertThat(carol.hasFeature("ver", "urn:xmpp:features:rosterver")).isTrue();
            assertThat(Roster.getInstanceFor(carol).isRosterVersioningSupported()).isTrue();
            assertThat(carol.hasFeature("sub", "urn:xmpp:features:pre-approval")).isTrue();

            IQ first = carol.sendIqRequestAndWaitForResponse(new RawRosterIq(IQ.Type.get, null, "ver=''", ""));
            String version = ((RosterPacket) first).getVersion();
            assertThat(version).isNotNull();

            IQ unchanged = carol.sendIqRequestAndWaitForResponse(new RawRosterIq(IQ.Type.get, null, "ver='" + version + "'", ""));
            assertThat(unchanged).isNotInstanceOf(RosterPacket.class);
            assertThat(unchanged.getType()).isEqualTo(IQ.Type.result);

            carol.sendIqRequestAndWaitForResponse(set("<item jid='dave@localhost' name='Dave'/>"));
            IQ changed = carol.sendIqRequestAndWaitForResponse(new RawRosterIq(IQ.Type.get, null, "ver='" + version + "'", ""));
            RosterPacket roster = (RosterPacket) changed;
            assertThat(roster.getVersion()).isNotEqualTo(version);
            assertThat(roster.getRosterItems()).extracting(RosterPacket.Item::getName).containsExactly("Dave");
        } finally {
            carol.disconnect();
        }
    }

    @Test
    void badRosterSetsGetTheErrorsOfRfc6121() throws Exception {
        XMPPTCPConnection dave = login("dave", "lab");
        try {
            // §2.1.3: another account's roster is not the sender's to change.
            assertThat(errorOf(dave, new RawRosterIq(IQ.Type.set, SubscriptionEndToEndTest.jid("alice"), null,
                    "<item jid='carol@localhost'/>"))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(errorOf(dave, new RawRosterIq(IQ.Type.get, SubscriptionEndToEndTest.jid("alice"), null, "")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            // §2.3.3
            assertThat(errorOf(dave, set("<item jid='a@localhost'/><item jid='b@localhost'/>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(errorOf(dave, set("<item jid='a@localhost' name='a name longer than twenty'/>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(errorOf(dave, set("<item jid='a@localhost'><group/></item>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(errorOf(dave, set("<item jid='a@localhost'><group>much too long</group></item>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(errorOf(dave, set("<item jid='a@localhost'><group>x</group><group>y</group><group>z</group></item>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(errorOf(dave, set("<item jid='a@localhost'><group>x</group><group>x</group></item>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(errorOf(dave, set("<item jid='a@localhost/desk'/>"))).isEqualTo(StanzaError.Condition.bad_request);
            assertThat(errorOf(dave, set("<item jid='nobody@localhost' subscription='remove'/>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);

            // The roster holds three items here; a fourth is refused, a change to an existing one is not.
            for (String contact : new String[] {"a", "b", "c"}) {
                assertThat(errorOf(dave, set("<item jid='" + contact + "@localhost'/>"))).isNull();
            }
            assertThat(errorOf(dave, set("<item jid='d@localhost'/>"))).isEqualTo(StanzaError.Condition.not_allowed);
            assertThat(errorOf(dave, set("<item jid='a@localhost' name='A'><group>x</group></item>"))).isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> Roster.getInstanceFor(dave).getEntryCount() == 3);
        } finally {
            dave.disconnect();
        }
    }
}
