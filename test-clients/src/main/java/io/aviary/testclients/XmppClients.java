package io.aviary.testclients;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SASLAuthentication;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaListener;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.Jid;

/**
 * Smack clients for the end-to-end tests (standalone and cluster): they accept the server's self-signed
 * certificate, and can log in with SCRAM-SHA-256 and SCRAM-SHA-256-PLUS, which Smack itself lacks.
 */
public final class XmppClients {

    static {
        SASLAuthentication.registerSASLMechanism(new ScramSha256Mechanism());
        SASLAuthentication.registerSASLMechanism(new ScramSha256Mechanism(true));
        // Smack enables XEP-0198 with resumption whenever a server offers it. A test that wants stream management
        // asks for it (setUseStreamManagement); the others are clients without it, whose lost connection ends the
        // session at once rather than hibernating it.
        XMPPTCPConnection.setUseStreamManagementDefault(false);
    }

    /** The domain the test servers serve. */
    public static final String DOMAIN = "localhost";

    private XmppClients() {
    }

    /** Trusts any certificate: the test server's is self-signed, as a newcomer's is. */
    public static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    public static SSLContext trustAllContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A configuration for STARTTLS on the c2s port with the given SASL mechanism. */
    public static XMPPTCPConnectionConfiguration.Builder startTls(int c2sPort, String user,
                                                                  String password, String mechanism) {
        XMPPTCPConnectionConfiguration.Builder builder = base(user, password, mechanism)
                .setPort(c2sPort)
                .setSecurityMode(SecurityMode.required);
        return builder;
    }

    /** A configuration for direct TLS (XEP-0368) on its own port. */
    public static XMPPTCPConnectionConfiguration.Builder directTls(int directTlsPort, String user,
                                                                   String password, String mechanism) {
        return base(user, password, mechanism)
                .setPort(directTlsPort)
                .setSocketFactory(trustAllContext().getSocketFactory())
                // TLS is already there from the first byte; no STARTTLS is offered on this port.
                .setSecurityMode(SecurityMode.disabled);
    }

    private static XMPPTCPConnectionConfiguration.Builder base(String user, String password, String mechanism) {
        try {
            XMPPTCPConnectionConfiguration.Builder builder = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(DOMAIN)
                    .setHost("127.0.0.1")
                    .setUsernameAndPassword(user, password)
                    .setCustomX509TrustManager(TRUST_ALL)
                    .setHostnameVerifier((host, session) -> true)
                    .setSendPresence(true)
                    .setConnectTimeout(10_000);
            if (mechanism != null) {
                builder.addEnabledSaslMechanism(mechanism);
            }
            return builder;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static XMPPTCPConnection connect(XMPPTCPConnectionConfiguration configuration) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setReplyTimeout(10_000);
        connection.connect().login();
        return connection;
    }

    /** Collects the chat messages a connection receives. */
    public static BlockingQueue<Message> inbox(XMPPTCPConnection connection) {
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        // Synchronous listeners run in arrival order; asynchronous ones may overtake each other.
        connection.addSyncStanzaListener(stanza -> inbox.add((Message) stanza),
                stanza -> stanza instanceof Message m && m.getBody() != null);
        return inbox;
    }

    /** The messages {@code sender} sends the connection, as XML, in arrival order. */
    public static BlockingQueue<String> messagesFrom(XMPPTCPConnection connection, Jid sender) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        connection.addSyncStanzaListener(stanza -> messages.add(stanza.toXML().toString()),
                stanza -> stanza instanceof Message && sender.equals(stanza.getFrom()));
        return messages;
    }

    /** A user who should not be affected by what a test did still gets its own message back. */
    public static void assertStillChats(XMPPTCPConnection connection) throws Exception {
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        StanzaListener listener = stanza -> inbox.add((Message) stanza);
        connection.addAsyncStanzaListener(listener, stanza -> stanza instanceof Message m && "still here".equals(m.getBody()));
        try {
            connection.sendStanza(connection.getStanzaFactory().buildMessageStanza().to(connection.getUser())
                    .ofType(Message.Type.chat).setBody("still here").build());
            Message echo = next(inbox, Duration.ofSeconds(10));
            assertThat(echo).as("%s's own message came back", connection.getUser()).isNotNull();
            assertThat(echo.getBody()).isEqualTo("still here");
        } finally {
            connection.removeAsyncStanzaListener(listener);
        }
    }

    /**
     * Cancels the account in-band (XEP-0077 §3.2). The server sends the result and then ends the stream with
     * {@code not-authorized}; Smack hands results to the waiting thread through another thread, so it may notice
     * the closed stream first and report that instead of the result.
     */
    public static void cancelAccount(XMPPTCPConnection connection) throws Exception {
        try {
            AccountManager.getInstance(connection).deleteAccount();
        } catch (SmackException.NotConnectedException e) {
            assertThat(e).hasMessageContaining("not-authorized");
        }
    }

    public static Message next(BlockingQueue<Message> inbox, Duration timeout) throws InterruptedException {
        return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
