package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.websocket.XmppWebSocketTransportModuleDescriptor;
import org.jivesoftware.smack.websocket.java11.Java11WebSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smack's WebSocket transport (RFC 7395, smack-websocket-java11) logs in and chats with a TCP client. */
class WebSocketSmackEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.gateway.http.plain-auth-allowed=true");
        assertThat(server.accounts().register("romeo", "romeo-secret").ok()).isTrue();
        assertThat(server.accounts().register("juliet", "juliet-secret").ok()).isTrue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void smackOverWebSocketLogsInAndChatsWithATcpClient() throws Exception {
        var builder = ModularXmppClientToServerConnectionConfiguration.builder()
                .setXmppDomain(AviaryTestServer.DOMAIN)
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword("romeo", "romeo-secret")
                .setResource("tab");
        builder.removeAllModules();
        builder.addModule(XmppWebSocketTransportModuleDescriptor.getBuilder(builder)
                .explicitlySetWebSocketEndpointAndDiscovery(
                        "ws://127.0.0.1:" + BoshSmackEndToEndTest.httpPort(server) + "/xmpp-websocket", false)
                .setWebSocketFactory(Java11WebSocketFactory.INSTANCE)
                .build());
        ModularXmppClientToServerConnection romeo = new ModularXmppClientToServerConnection(builder.build());
        romeo.setReplyTimeout(10_000);
        XMPPTCPConnection juliet = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "juliet", "juliet-secret", null).setResource("balcony").build());
        try {
            romeo.connect().login();
            assertThat(romeo.isAuthenticated()).isTrue();
            assertThat(romeo.getUser().toString()).isEqualTo("romeo@localhost/tab");
            BoshSmackEndToEndTest.exchangeMessages(romeo, juliet);
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }
}
