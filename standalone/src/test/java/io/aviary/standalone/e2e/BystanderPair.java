package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;

/** Bob and Carol, logged in from 127.0.0.1 before a hostile test starts, who should keep chatting through it. */
final class BystanderPair implements AutoCloseable {

    private final XMPPTCPConnection bob;
    private final XMPPTCPConnection carol;
    private final BlockingQueue<Message> carolInbox;
    private final String domain;
    private int sent;

    /** Registers bob and carol on {@code server} and logs them in. */
    BystanderPair(AviaryTestServer server) throws Exception {
        domain = server.domain();
        server.accounts().register("bob", "bob-pw");
        server.accounts().register("carol", "carol-pw");
        bob = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "bob", "bob-pw", null).setXmppDomain(domain)
                .setResource("b").build());
        carol = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "carol", "carol-pw", null).setXmppDomain(domain)
                .setResource("c").build());
        // Chat only: a test may also send headlines (announcements) to everyone online.
        carolInbox = new LinkedBlockingQueue<>();
        carol.addSyncStanzaListener(stanza -> carolInbox.add((Message) stanza),
                stanza -> stanza instanceof Message m && m.getBody() != null && m.getType() == Message.Type.chat);
    }

    /** Bob sends Carol a message and it arrives. */
    void stillChat() throws Exception {
        tell("still here " + (++sent));
    }

    /** Bob sends Carol {@code body} and it arrives as sent. */
    void tell(String body) throws Exception {
        bobSends(body);
        Message received = XmppClients.next(carolInbox, Duration.ofSeconds(10));
        assertThat(received).as("Carol got '%s'", body.length() > 40 ? body.substring(0, 40) + "..." : body).isNotNull();
        assertThat(received.getBody()).isEqualTo(body);
    }

    XMPPTCPConnection bob() {
        return bob;
    }

    /** Bob sends Carol a message; {@link #assertDelivered} checks it arrived. */
    void bobSends(String body) throws Exception {
        bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                .to(JidCreate.entityFullFrom("carol@" + domain + "/c")).ofType(Message.Type.chat).setBody(body).build());
    }

    void assertDelivered() throws InterruptedException {
        Message received = XmppClients.next(carolInbox, Duration.ofSeconds(10));
        assertThat(received).as("Carol got Bob's message").isNotNull();
        assertThat(received.getBody()).startsWith("still here");
    }

    @Override
    public void close() {
        bob.disconnect();
        carol.disconnect();
    }
}
