package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import io.aviary.testclients.ScramSha256Mechanism;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Bad input of every kind gets the error RFC 6120 names, and through all of it Bob and Carol,
 * logged in the whole time, keep chatting.
 */
class StreamAbuseEndToEndTest {

    private static AviaryTestServer server;
    private static XMPPTCPConnection bob;
    private static XMPPTCPConnection carol;
    private static BlockingQueue<Message> carolInbox;
    private static int bystanderMessages;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol", "mallory"}) {
            assertThat(server.accounts().register(user, user + "-pw").ok()).isTrue();
        }
        bob = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "bob", "bob-pw", null).setResource("b").build());
        carol = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "carol", "carol-pw", null).setResource("c").build());
        carolInbox = XmppClients.inbox(carol);
    }

    @AfterAll
    static void stop() {
        bob.disconnect();
        carol.disconnect();
        server.close();
    }

    @AfterEach
    void bystandersAreUnaffected() throws Exception {
        String body = "still here " + (++bystanderMessages);
        bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                .to(JidCreate.entityFullFrom("carol@localhost/c")).ofType(Message.Type.chat).setBody(body).build());
        Message received = XmppClients.next(carolInbox, Duration.ofSeconds(10));
        assertThat(received).isNotNull();
        assertThat(received.getBody()).isEqualTo(body);
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        assertThatThrownBy(() -> XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "not-her-password", ScramSha256Mechanism.NAME).build()))
                .isInstanceOfSatisfying(SASLErrorException.class, e ->
                        assertThat(e.getSASLFailure().getSASLErrorString()).isEqualTo("not-authorized"));
    }

    @Test
    void plainIsOfferedOnlyAfterTls() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            String features = raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            assertThat(features).contains("<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"><required/></starttls>");
            assertThat(features).doesNotContain("PLAIN");
            // Trying SASL anyway before TLS is refused.
            String refused = raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAGFsaWNlLXB3</auth>")
                    .readUntil("</failure>", 5000);
            assertThat(refused).contains("<encryption-required/>");
            raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
            raw.upgradeToTls();
            String secured = raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            assertThat(secured).contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
        }
    }

    @Test
    void malformedXmlEndsTheStreamWithNotWellFormed() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<message to='bob@localhost'><body>oops</message>");
            assertThat(raw.readUntil("</stream:stream>", 5000))
                    .contains("<not-well-formed xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void oversizedStanzaIsAPolicyViolation() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.trySend("<message to='bob@localhost'><body>" + "a".repeat(300 * 1024) + "</body></message>");
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<policy-violation");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void doctypeAndEntityDeclarationsAreRejected() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.trySend("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY lol 'lol'>]>" + RawXmppSocket.HEADER.substring(21));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<restricted-xml");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.trySend("<message to='bob@localhost'><body>&lol;</body></message>");
            assertThat(raw.readUntil("</stream:stream>", 5000)).containsAnyOf("<restricted-xml", "<not-well-formed");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void unknownDomainInTheHeaderIsHostUnknown() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER.replace("to='localhost'", "to='example.net'"));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<host-unknown");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void wrongStreamNamespaceAndOldVersionAreRefused() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER.replace("xmlns='jabber:client'", "xmlns='jabber:server'"));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<invalid-namespace");
        }
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER.replace(" version='1.0'>", ">"));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<unsupported-version");
        }
    }

    @Test
    void aStanzaBeforeAuthenticationIsNotAuthorized() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<message to='carol@localhost/c'><body>sneaky</body></message>");
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<not-authorized");
        }
        assertThat(carolInbox).noneMatch(m -> "sneaky".equals(m.getBody()));
    }

    @Test
    void spoofedFromIsReplacedWithTheSendersJid() throws Exception {
        XMPPTCPConnection mallory = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "mallory", "mallory-pw", null).setResource("m").build());
        try {
            mallory.sendStanza(mallory.getStanzaFactory().buildMessageStanza()
                    .from(JidCreate.from("bob@localhost/b"))
                    .to(JidCreate.entityFullFrom("carol@localhost/c")).ofType(Message.Type.chat)
                    .setBody("I am Bob, trust me").build());
            Message received = XmppClients.next(carolInbox, Duration.ofSeconds(10));
            assertThat(received.getBody()).isEqualTo("I am Bob, trust me");
            assertThat(received.getFrom().toString()).isEqualTo("mallory@localhost/m");
        } finally {
            mallory.disconnect();
        }
    }

    @Test
    void aDuplicateResourceReplacesTheOldSessionWithConflict() throws Exception {
        XMPPTCPConnection first = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null).setResource("same").build());
        CompletableFuture<Exception> firstClosedWith = new CompletableFuture<>();
        first.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                firstClosedWith.complete(e);
            }
        });
        XMPPTCPConnection second = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null).setResource("same").build());
        try {
            Exception error = firstClosedWith.get(10, TimeUnit.SECONDS);
            assertThat(error).isInstanceOfSatisfying(StreamErrorException.class, e ->
                    assertThat(e.getStreamError().getCondition()).isEqualTo(StreamError.Condition.conflict));
            assertThat(second.getUser().toString()).isEqualTo("alice@localhost/same");
            BlockingQueue<Message> secondInbox = XmppClients.inbox(second);
            carol.sendStanza(carol.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityFullFrom("alice@localhost/same")).ofType(Message.Type.chat)
                    .setBody("to the new alice").build());
            assertThat(XmppClients.next(secondInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("to the new alice");
        } finally {
            second.disconnect();
        }
    }
}
