package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import io.aviary.gateway.Gateway;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.bosh.XMPPBOSHConnection;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** Smack's BOSH transport (XEP-0124/0206) logs in over the gateway's HTTP listener and chats with a TCP client. */
class BoshSmackEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        // Plain HTTP on loopback: the operator allows authentication there (no TLS-terminating proxy in a test).
        server = AviaryTestServer.start("aviary.gateway.http.plain-auth-allowed=true");
        assertThat(server.accounts().register("romeo", "romeo-secret").ok()).isTrue();
        assertThat(server.accounts().register("juliet", "juliet-secret").ok()).isTrue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int httpPort(AviaryTestServer server) {
        return server.context().getBean(Gateway.class).httpPort();
    }

    static BlockingQueue<Message> inbox(AbstractXMPPConnection connection) {
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(stanza -> inbox.add((Message) stanza),
                stanza -> stanza instanceof Message m && m.getBody() != null);
        return inbox;
    }

    static void exchangeMessages(AbstractXMPPConnection web, XMPPTCPConnection tcp) throws Exception {
        BlockingQueue<Message> webInbox = inbox(web);
        BlockingQueue<Message> tcpInbox = XmppClients.inbox(tcp);
        web.sendStanza(web.getStanzaFactory().buildMessageStanza()
                .to(tcp.getUser().asEntityBareJid()).ofType(Message.Type.chat).setBody("over HTTP").build());
        Message received = tcpInbox.poll(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.getBody()).isEqualTo("over HTTP");
        assertThat(received.getFrom().toString()).isEqualTo(web.getUser().toString());

        tcp.sendStanza(tcp.getStanzaFactory().buildMessageStanza()
                .to(web.getUser()).ofType(Message.Type.chat).setBody("reply over TCP").build());
        Message reply = webInbox.poll(10, TimeUnit.SECONDS);
        assertThat(reply).isNotNull();
        assertThat(reply.getBody()).isEqualTo("reply over TCP");
        assertThat(reply.getFrom().toString()).isEqualTo(tcp.getUser().toString());
    }

    @Test
    void smackOverBoshLogsInAndChatsWithATcpClient() throws Exception {
        BOSHConfiguration configuration = BOSHConfiguration.builder()
                .setXmppDomain(AviaryTestServer.DOMAIN)
                // Smack 4.5.0-beta5 writes an IP address host as "/127.0.0.1" into the BOSH URI; a name works.
                .setHost("localhost")
                .setPort(httpPort(server))
                .setFile("/http-bind")
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword("romeo", "romeo-secret")
                .setResource("browser")
                .build();
        XMPPBOSHConnection romeo = new XMPPBOSHConnection(configuration);
        romeo.setReplyTimeout(10_000);
        XMPPTCPConnection juliet = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "juliet", "juliet-secret", null).setResource("balcony").build());
        try {
            romeo.connect().login();
            assertThat(romeo.isAuthenticated()).isTrue();
            assertThat(romeo.getUser().toString()).isEqualTo("romeo@localhost/browser");
            exchangeMessages(romeo, juliet);
            // The session survives the gaps between requests: long after the first wait, it still works.
            Thread.sleep(Duration.ofSeconds(2).toMillis());
            exchangeMessages(romeo, juliet);
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }
}
