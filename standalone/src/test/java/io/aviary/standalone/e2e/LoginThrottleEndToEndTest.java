package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failed logins are throttled per address and account, per account from any address, and an address that keeps
 * failing is banned (LoginThrottle). Clients come from different loopback addresses (127.0.0.0/8); Bob and Carol
 * keep chatting throughout.
 */
class LoginThrottleEndToEndTest {

    private static final String SUCCESS = "success";

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start(
                "aviary.gateway.failed-logins-per-minute=2",
                "aviary.gateway.auth.failed-logins-per-account=4",
                "aviary.gateway.auth.ban-after-failures=6");
        for (String user : new String[] {"alice", "dave", "erin", "frank"}) {
            server.accounts().register(user, user + "-pw");
        }
        bystanders = new BystanderPair(server);
    }

    @AfterAll
    static void stop() {
        bystanders.close();
        server.close();
    }

    @AfterEach
    void bystandersKeepChatting() throws Exception {
        bystanders.stillChat();
    }

    @Test
    void guessesSpreadOverAddressesAreThrottledPerAccount() throws Exception {
        for (int host = 2; host <= 5; host++) {
            assertThat(loginFrom("127.0.0." + host, "alice", "guess-" + host)).isEqualTo("not-authorized");
        }
        // Four failures from four addresses reach the account's limit: even the right password waits now,
        // or the throttle would tell a guesser which password is right.
        assertThat(loginFrom("127.0.0.6", "alice", "alice-pw")).isEqualTo("temporary-auth-failure");
    }

    @Test
    void anotherAccountsFailuresDoNotLockOutASharedAddress() throws Exception {
        assertThat(loginFrom("127.0.0.7", "dave", "guess-1")).isEqualTo("not-authorized");
        assertThat(loginFrom("127.0.0.7", "dave", "guess-2")).isEqualTo("not-authorized");
        assertThat(loginFrom("127.0.0.7", "dave", "dave-pw")).isEqualTo("temporary-auth-failure");
        // Erin behind the same address is not Dave's guesser.
        assertThat(loginFrom("127.0.0.7", "erin", "erin-pw")).isEqualTo(SUCCESS);
    }

    @Test
    void anAddressThatKeepsFailingIsBanned() throws Exception {
        for (int i = 1; i <= 6; i++) {
            assertThat(loginFrom("127.0.0.8", "ghost" + i, "guess")).isEqualTo("not-authorized");
        }
        try (RawXmppSocket banned = new RawXmppSocket(server.c2sPort(), "127.0.0.8")) {
            assertThat(banned.send(RawXmppSocket.HEADER).readUntil("</stream:stream>", 5000))
                    .contains("<policy-violation").doesNotContain("<stream:features");
            assertThat(banned.awaitClose(5000)).isTrue();
        }
        assertThat(loginFrom("127.0.0.9", "frank", "frank-pw")).isEqualTo(SUCCESS);
    }

    /** Logs in over STARTTLS from {@code localAddress}: "success" or the SASL failure's condition. */
    private static String loginFrom(String localAddress, String user, String password) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), user, password, null)
                .setSocketFactory(boundTo(InetAddress.getByName(localAddress))).build());
        connection.setReplyTimeout(10_000);
        try {
            connection.connect().login();
            return SUCCESS;
        } catch (SASLErrorException e) {
            return e.getSASLFailure().getSASLErrorString();
        } finally {
            connection.disconnect();
        }
    }

    /** Sockets whose source address is {@code local}. */
    private static SocketFactory boundTo(InetAddress local) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(local, 0));
                return socket;
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(host, port, local, 0);
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return new Socket(host, port, localHost, localPort);
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return new Socket(host, port, local, 0);
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
                return new Socket(host, port, localHost, localPort);
            }
        };
    }
}
