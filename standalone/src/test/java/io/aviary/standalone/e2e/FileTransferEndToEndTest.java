package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.FileTransfers;
import io.aviary.testclients.XmppClients;
import io.aviary.xep0065.Socks5Listener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5BytestreamManager;
import org.jivesoftware.smackx.bytestreams.socks5.packet.Bytestream;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * File transfer between clients (XEP-0096) over the server's SOCKS5 bytestreams proxy (XEP-0065) and over in-band
 * bytestreams (XEP-0047) with the gateway's normal limits; the proxy's activation rules with raw SOCKS5 sockets; a
 * bystander pair chats through all of it.
 */
class FileTransferEndToEndTest {

    private static final String BYTESTREAMS = "http://jabber.org/protocol/bytestreams";
    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final DomainBareJid PROXY = jid("proxy.localhost").asDomainBareJid();

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        for (String user : List.of("romeo", "juliet", "mallory")) {
            server.accounts().register(user, user + "-secret");
        }
        bystanders = new BystanderPair(server);
    }

    @AfterAll
    static void stop() {
        if (bystanders != null) {
            bystanders.close();
        }
        server.close();
    }

    @Test
    void aTenMegabyteFileGoesThroughTheProxyFoundByServiceDiscovery() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection juliet = login("juliet");
        try {
            assertThat(Socks5BytestreamManager.getBytestreamManager(romeo).determineProxies()).containsExactly(PROXY);
            double relayedBefore = meters().counter("aviary.proxy65.bytes").count();
            byte[] file = FileTransfers.randomFile(TEN_MB, 1);

            assertThat(FileTransfers.transfer(romeo, juliet, file, false)).isEqualTo(FileTransfers.sha256(file));

            assertThat(meters().counter("aviary.proxy65.bytes").count() - relayedBefore)
                    .as("relayed by the proxy, not Smack's fallback to in-band bytestreams").isEqualTo(TEN_MB);
            bystanders.stillChat();
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }

    @Test
    void aTenMegabyteFileGoesInBandThroughTheTrafficShaperWithSmacksDefaultBlockSize() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection juliet = login("juliet");
        try {
            byte[] file = FileTransfers.randomFile(TEN_MB, 2);
            long started = System.nanoTime();

            assertThat(FileTransfers.transfer(romeo, juliet, file, true)).isEqualTo(FileTransfers.sha256(file));

            System.out.printf("IBB: 10 MB in %.1f s%n", (System.nanoTime() - started) / 1e9);
            bystanders.stillChat();
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }

    @Test
    void theProxyAnnouncesItselfAndItsStreamhostAndRefusesWhatItDoesNotServe() throws Exception {
        XMPPTCPConnection mallory = login("mallory");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(mallory).discoverInfo(PROXY);
            assertThat(info.hasIdentity("proxy", "bytestreams")).isTrue();
            assertThat(info.containsFeature(BYTESTREAMS)).isTrue();

            IQ streamhost = mallory.sendIqRequestAndWaitForResponse(RawIq.get(PROXY, "query", BYTESTREAMS, ""));
            assertThat(streamhost.toXML().toString()).contains("jid='proxy.localhost'", "host='localhost'",
                    "port='" + proxyPort() + "'");

            assertThat(RawIq.errorOf(mallory, RawIq.get(PROXY, "query", "jabber:iq:version", "")))
                    .isEqualTo(StanzaError.Condition.service_unavailable);
            assertThat(RawIq.errorOf(mallory, RawIq.set(PROXY, "query", BYTESTREAMS,
                    "<activate>juliet@localhost/j</activate>"))).as("no sid").isEqualTo(StanzaError.Condition.bad_request);
            assertThat(RawIq.errorOf(mallory, RawIq.set(PROXY, "query", BYTESTREAMS, "")))
                    .as("no activate").isEqualTo(StanzaError.Condition.bad_request);
            bystanders.stillChat();
        } finally {
            mallory.disconnect();
        }
    }

    @Test
    void onlyTheRequesterActivatesAPairAndOnlyOnceBothHaveConnected() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        XMPPTCPConnection mallory = login("mallory");
        String target = "juliet@localhost/balcony";
        try (Socket targetSocket = socks5(hash("sid-1", romeo.getUser().toString(), target))) {
            assertThat(errorOf(romeo, activation("sid-1", target)))
                    .as("only the target has connected").isEqualTo(StanzaError.Condition.not_allowed);
            try (Socket requesterSocket = socks5(hash("sid-1", romeo.getUser().toString(), target))) {
                // Mallory's from address gives another hash: no pair of hers (XEP-0065 §6.3.4: item-not-found).
                assertThat(errorOf(mallory, activation("sid-1", target)))
                        .isEqualTo(StanzaError.Condition.item_not_found);
                assertThat(romeo.sendIqRequestAndWaitForResponse(activation("sid-1", target)).getType())
                        .isEqualTo(IQ.Type.result);
                requesterSocket.getOutputStream().write("wherefore".getBytes(StandardCharsets.US_ASCII));
                assertThat(read(targetSocket, 9)).isEqualTo("wherefore".getBytes(StandardCharsets.US_ASCII));
            }
            bystanders.stillChat();
        } finally {
            romeo.disconnect();
            mallory.disconnect();
        }
    }

    @Test
    void anActivationWithNoPairIsItemNotFound() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        try {
            assertThat(errorOf(romeo, activation("never-connected", "juliet@localhost/balcony")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
            bystanders.stillChat();
        } finally {
            romeo.disconnect();
        }
    }

    @Test
    void aSocks5ClientSpeakingGarbageIsRefusedAndClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxyPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("<stream:stream to='localhost'>".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(socket, 2)).containsExactly(5, 0xFF);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        bystanders.stillChat();
    }

    /** What Smack's initiator sends (XEP-0065 §6.3.4). */
    private static Bytestream activation(String sid, String target) {
        Bytestream activate = new Bytestream(sid);
        activate.setMode(null);
        activate.setType(IQ.Type.set);
        activate.setTo(PROXY);
        activate.setToActivate(jid(target));
        return activate;
    }

    private static StanzaError.Condition errorOf(XMPPTCPConnection connection, IQ iq) throws Exception {
        try {
            connection.sendIqRequestAndWaitForResponse(iq);
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
        throw new AssertionError("expected an error reply to " + iq.toXML());
    }

    /** A SOCKS5 connection to the proxy through CONNECT for {@code hash}. */
    private static Socket socks5(String hash) throws IOException {
        Socket socket = new Socket("127.0.0.1", proxyPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(new byte[] {5, 1, 0});
        assertThat(read(socket, 2)).containsExactly(5, 0);
        byte[] request = new byte[47];
        request[0] = 5;
        request[1] = 1;
        request[3] = 3;
        request[4] = 40;
        System.arraycopy(hash.getBytes(StandardCharsets.US_ASCII), 0, request, 5, 40);
        socket.getOutputStream().write(request);
        assertThat(read(socket, 47)[1]).as("SOCKS5 reply code").isZero();
        return socket;
    }

    /** XEP-0065 §5.3.2: SHA1(SID + Requester JID + Target JID). */
    private static String hash(String sid, String requester, String target) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest((sid + requester + target).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] read(Socket socket, int length) throws IOException {
        byte[] bytes = new byte[length];
        new DataInputStream(socket.getInputStream()).readFully(bytes);
        return bytes;
    }

    private static int proxyPort() {
        return server.context().getBean(Socks5Listener.class).port();
    }

    private static MeterRegistry meters() {
        return server.context().getBean(MeterRegistry.class);
    }

    private static Jid jid(String jid) {
        try {
            return JidCreate.from(jid);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }
}
