package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.SessionRegistry;
import io.aviary.testclients.XmppClients;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.forward.packet.Forwarded;
import org.jivesoftware.smackx.forward.provider.ForwardedProvider;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0280 Message Carbons with Smack over real sockets: Alice on her desk and her phone, both with carbons, sees
 * both sides of her conversation with Bob on each; her laptop, without carbons, sees only what is addressed to it.
 */
class CarbonsEndToEndTest {

    static final String CARBONS = "urn:xmpp:carbons:2";

    /** A carbon copy as a client sees it: which way, the wrapper's sender and the forwarded message. */
    record Copy(String direction, String wrapperFrom, String from, String to, String body) {
    }

    private static AviaryTestServer server;
    private XMPPTCPConnection desk;
    private XMPPTCPConnection phone;
    private XMPPTCPConnection laptop;
    private XMPPTCPConnection bob;

    @BeforeAll
    static void start() {
        Carbon.register();
        server = AviaryTestServer.start();
        server.accounts().register("alice", "alice-secret");
        server.accounts().register("bob", "bob-secret");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void login() throws Exception {
        desk = connect("alice", "desk");
        phone = connect("alice", "phone");
        laptop = connect("alice", "laptop");
        bob = connect("bob", "pc");
    }

    @AfterEach
    void logout() {
        for (XMPPTCPConnection c : new XMPPTCPConnection[] {desk, phone, laptop, bob}) {
            c.disconnect();
        }
    }

    private static XMPPTCPConnection connect(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null)
                .setResource(resource).build());
    }

    /** XEP-0280 §4: the IQ set with no 'to', answered with a result. */
    static void enableCarbons(XMPPTCPConnection connection) throws Exception {
        connection.sendIqRequestAndWaitForResponse(RawIq.set(null, "enable", CARBONS, ""));
    }

    /** The carbon copies a connection receives from its own account's bare JID. */
    static BlockingQueue<Copy> copies(XMPPTCPConnection connection) {
        BlockingQueue<Copy> copies = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(stanza -> {
            for (String direction : new String[] {"received", "sent"}) {
                if (stanza.getExtensionElement(direction, CARBONS) instanceof Carbon carbon) {
                    Message message = carbon.message();
                    copies.add(new Copy(direction, String.valueOf(stanza.getFrom()), String.valueOf(message.getFrom()),
                            String.valueOf(message.getTo()), message.getBody()));
                }
            }
        }, stanza -> stanza instanceof Message);
        return copies;
    }

    /** {@code <received/>} or {@code <sent/>}: Smack's CarbonManager is in smack-experimental, which the tests lack. */
    record Carbon(String direction, Message message) implements ExtensionElement {

        static {
            ProviderManager.addExtensionProvider("received", CARBONS, new Provider());
            ProviderManager.addExtensionProvider("sent", CARBONS, new Provider());
        }

        /** Loads the class, registering the providers. */
        static void register() {
        }

        @Override
        public String getElementName() {
            return direction;
        }

        @Override
        public String getNamespace() {
            return CARBONS;
        }

        @Override
        public CharSequence toXML(XmlEnvironment environment) {
            return new XmlStringBuilder(this, environment).rightAngleBracket()
                    .append(new Forwarded<>(message).toXML(environment)).closeElement(this);
        }

        static final class Provider extends ExtensionElementProvider<Carbon> {
            @Override
            public Carbon parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment) throws XmlPullParserException,
                    IOException, SmackParsingException, ParseException {
                String direction = parser.getName();
                Message message = null;
                while (true) {
                    XmlPullParser.Event event = parser.next();
                    if (event == XmlPullParser.Event.START_ELEMENT && "forwarded".equals(parser.getName())) {
                        message = ForwardedProvider.parseForwardedMessage(parser, environment).getForwardedStanza();
                    } else if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                        return new Carbon(direction, message);
                    }
                }
            }
        }
    }

    private static void chat(XMPPTCPConnection from, String to, String body, String extraXml) throws Exception {
        MessageBuilder message = from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to))
                .ofType(Message.Type.chat).setBody(body);
        if (extraXml != null) {
            String[] nameAndNamespace = extraXml.split(" ");
            message.addExtension(StandardExtensionElement.builder(nameAndNamespace[0], nameAndNamespace[1]).build());
        }
        from.sendStanza(message.build());
    }

    private static Copy next(BlockingQueue<Copy> copies) throws InterruptedException {
        return copies.poll(10, TimeUnit.SECONDS);
    }

    @Test
    void theServerAdvertisesCarbonsAndItsRules() throws Exception {
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(desk).discoverInfo(JidCreate.domainBareFrom("localhost"));
        assertThat(info.containsFeature(CARBONS)).isTrue();
        assertThat(info.containsFeature("urn:xmpp:carbons:rules:0")).isTrue();
    }

    @Test
    void twoResourcesWithCarbonsSeeBothSidesOfTheConversation() throws Exception {
        enableCarbons(desk);
        enableCarbons(phone);
        BlockingQueue<Copy> phoneCopies = copies(phone);
        BlockingQueue<Copy> deskCopies = copies(desk);
        BlockingQueue<Message> bobInbox = XmppClients.inbox(bob);

        chat(bob, "alice@localhost/desk", "Wherefore art thou?", null);
        assertThat(next(phoneCopies)).isEqualTo(new Copy("received", "alice@localhost", "bob@localhost/pc",
                "alice@localhost/desk", "Wherefore art thou?"));

        chat(desk, "bob@localhost/pc", "At my desk.", null);
        assertThat(XmppClients.next(bobInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("At my desk.");
        assertThat(next(phoneCopies)).isEqualTo(new Copy("sent", "alice@localhost", "alice@localhost/desk",
                "bob@localhost/pc", "At my desk."));

        chat(phone, "bob@localhost/pc", "Now on my phone.", null);
        assertThat(next(deskCopies)).isEqualTo(new Copy("sent", "alice@localhost", "alice@localhost/phone",
                "bob@localhost/pc", "Now on my phone."));
        assertThat(deskCopies).isEmpty();
    }

    @Test
    void aResourceWithoutCarbonsGetsNoCopies() throws Exception {
        enableCarbons(phone);
        BlockingQueue<Copy> phoneCopies = copies(phone);
        BlockingQueue<Copy> laptopCopies = copies(laptop);
        BlockingQueue<Message> laptopInbox = XmppClients.inbox(laptop);

        chat(bob, "alice@localhost/desk", "to the desk", null);
        chat(desk, "bob@localhost/pc", "from the desk", null);
        // Two conversations' lanes (keyed by Alice and by Bob): the copies may come in either order.
        assertThat(java.util.List.of(next(phoneCopies).body(), next(phoneCopies).body()))
                .containsExactlyInAnyOrder("to the desk", "from the desk");
        // A copy for the laptop would go out with the phone's, in the lane of Alice's deliveries, before this message.
        chat(bob, "alice@localhost/laptop", "only for the laptop", null);
        assertThat(XmppClients.next(laptopInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("only for the laptop");
        assertThat(laptopCopies).isEmpty();
    }

    @Test
    void privateAndNoCopyMessagesAreNotCopied() throws Exception {
        enableCarbons(phone);
        BlockingQueue<Copy> phoneCopies = copies(phone);
        BlockingQueue<Message> deskInbox = XmppClients.inbox(desk);

        chat(bob, "alice@localhost/desk", "secret for the desk", "private " + CARBONS);
        chat(bob, "alice@localhost/desk", "no copy, please", "no-copy urn:xmpp:hints");
        chat(bob, "alice@localhost/desk", "copy this", null);
        assertThat(next(phoneCopies).body()).isEqualTo("copy this");
        Message privateOne = XmppClients.next(deskInbox, Duration.ofSeconds(10));
        assertThat(privateOne.getBody()).isEqualTo("secret for the desk");
        // §9: the receiving server removes <private/> before delivering it.
        assertThat(privateOne.getExtensionElement("private", CARBONS)).isNull();

        chat(desk, "bob@localhost/pc", "private from the desk", "private " + CARBONS);
        chat(desk, "bob@localhost/pc", "copied from the desk", null);
        assertThat(next(phoneCopies).body()).isEqualTo("copied from the desk");
    }

    @Test
    void noUserSwitchesCarbonsForAnotherUsersSession() throws Exception {
        Jid alicesPhone = JidCreate.from("alice@localhost/phone");
        // To Alice's full JID the IQ goes to her client, which has no such handler; to her bare JID the server
        // answers on her behalf, which it does not for carbons. Neither switches anything of Alice's.
        StanzaError.Condition toPhone = RawIq.errorOf(bob, RawIq.set(alicesPhone, "enable", CARBONS, ""));
        StanzaError.Condition toAccount = RawIq.errorOf(bob,
                RawIq.set(JidCreate.from("alice@localhost"), "enable", CARBONS, ""));
        assertThat(toPhone).isNotNull();
        assertThat(toAccount).isNotNull();
        SessionRegistry registry = server.context().getBean(SessionRegistry.class);
        assertThat(registry.sessions(JidCreate.entityBareFrom("alice@localhost")))
                .allSatisfy(session -> assertThat(session.carbons()).isFalse());

        BlockingQueue<Copy> phoneCopies = copies(phone);
        BlockingQueue<Message> phoneInbox = XmppClients.inbox(phone);
        chat(bob, "alice@localhost/desk", "not for the phone", null);
        chat(bob, "alice@localhost/phone", "for the phone", null);
        assertThat(XmppClients.next(phoneInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("for the phone");
        assertThat(phoneCopies).isEmpty();
    }

    @Test
    void disablingStopsTheCopies() throws Exception {
        enableCarbons(phone);
        phone.sendIqRequestAndWaitForResponse(RawIq.set(null, "disable", CARBONS, ""));
        BlockingQueue<Copy> phoneCopies = copies(phone);
        BlockingQueue<Message> phoneInbox = XmppClients.inbox(phone);
        chat(bob, "alice@localhost/desk", "not copied any more", null);
        chat(bob, "alice@localhost/phone", "for the phone", null);
        assertThat(XmppClients.next(phoneInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("for the phone");
        assertThat(phoneCopies).isEmpty();
    }
}
