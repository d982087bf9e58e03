package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jingle signalling passes through untouched (issue "Files and calls": the server adds nothing, tests prove it routes):
 * a XEP-0166/0167/0176 audio session with ICE-UDP candidates and XEP-0320 DTLS fingerprints, and its XEP-0353
 * message initiation to the bare JID, which rings every resource. Raw clients on both ends compare what arrives with
 * what was sent byte for byte; the payloads are written as the server writes XML (double quotes, a namespace declared
 * where it changes, no whitespace between elements), so any change the server made would show.
 */
class JingleRoutingEndToEndTest {

    private static final String SID = "a73sjjvkla37jfea";

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        for (String user : List.of("romeo", "juliet")) {
            server.accounts().register(user, user + "-pw");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSessionInitiateAcceptTransportInfoAndTerminateArriveIntactAndTheirResultsComeBack() throws Exception {
        try (RawXmppSocket romeo = online("romeo", "desk"); RawXmppSocket juliet = online("juliet", "phone")) {
            String initiate = Jingle.sessionInitiate(SID, "romeo@localhost/desk");
            assertThat(relayIq(romeo, juliet, "juliet@localhost/phone", "init-1", initiate)).isEqualTo(initiate);
            String accept = Jingle.sessionAccept(SID, "juliet@localhost/phone");
            assertThat(relayIq(juliet, romeo, "romeo@localhost/desk", "accept-1", accept)).isEqualTo(accept);
            String transportInfo = Jingle.transportInfo(SID);
            assertThat(relayIq(romeo, juliet, "juliet@localhost/phone", "info-1", transportInfo)).isEqualTo(transportInfo);
            String terminate = Jingle.sessionTerminate(SID);
            assertThat(relayIq(juliet, romeo, "romeo@localhost/desk", "term-1", terminate)).isEqualTo(terminate);
        }
    }

    @Test
    void aProposalToTheBareJidRingsEveryResourceAndProceedAndAcceptReachBothSides() throws Exception {
        try (RawXmppSocket romeo = online("romeo", "orchard");
             RawXmppSocket phone = online("juliet", "mobile");
             RawXmppSocket tablet = online("juliet", "tablet")) {
            tablet.step("<iq type='set' id='carbons-1'><enable xmlns='urn:xmpp:carbons:2'/></iq>", "carbons-1");

            String propose = Jingle.propose(SID);
            romeo.send(Jingle.message("juliet@localhost", "propose-1", propose));
            for (RawXmppSocket resource : List.of(phone, tablet)) {
                String received = resource.step("", "propose-1");
                assertThat(received).contains("from=\"romeo@localhost/orchard\"");
                assertThat(Jingle.element(received, "propose")).isEqualTo(propose);
            }

            // XEP-0353 §3.4: to the initiator's bare JID; Juliet's other devices see it as a XEP-0280 sent copy.
            String proceed = Jingle.proceed(SID);
            phone.send(Jingle.message("romeo@localhost", "proceed-1", proceed));
            assertThat(Jingle.element(romeo.step("", "proceed-1"), "proceed")).isEqualTo(proceed);
            String copy = tablet.step("", "proceed-1");
            assertThat(copy).contains("<sent xmlns=\"urn:xmpp:carbons:2\">");
            assertThat(Jingle.element(copy, "proceed")).isEqualTo(proceed);

            // Earlier versions' <accept/>, to the responder's own bare JID: every resource of hers stops ringing.
            String accept = Jingle.accept(SID);
            phone.send(Jingle.message("juliet@localhost", "accept-1", accept));
            assertThat(Jingle.element(tablet.step("", "accept-1"), "accept")).isEqualTo(accept);
        }
    }

    @Test
    void aSessionInitiateToAResourceThatIsNotThereBouncesAndBystandersKeepChatting() throws Exception {
        try (BystanderPair bystanders = new BystanderPair(server); RawXmppSocket romeo = online("romeo", "balcony")) {
            String answer = romeo.step("<iq type=\"set\" id=\"nobody-1\" to=\"juliet@localhost/gone\">"
                    + Jingle.sessionInitiate(SID, "romeo@localhost/balcony") + "</iq>", "nobody-1");
            assertThat(answer).contains("type=\"error\"").contains("<service-unavailable");
            bystanders.stillChat();
        }
    }

    /** {@code from} sends {@code jingle} in an IQ set to {@code to}, which answers with a result; what {@code to} got. */
    private static String relayIq(RawXmppSocket from, RawXmppSocket to, String toJid, String id, String jingle)
            throws IOException {
        from.send("<iq type=\"set\" id=\"" + id + "\" to=\"" + toJid + "\">" + jingle + "</iq>");
        String received = to.step("", id);
        String sender = received.substring(received.indexOf("from=\"") + 6, received.indexOf('"', received.indexOf("from=\"") + 6));
        to.send("<iq type=\"result\" id=\"" + id + "\" to=\"" + sender + "\"/>");
        assertThat(from.step("", "type=\"result\"")).contains(id);
        return Jingle.element(received, "jingle");
    }

    /** Logged in, bound and available (presence sent), so messages to the bare JID reach it. */
    private static RawXmppSocket online(String user, String resource) throws IOException {
        RawXmppSocket raw = RawXmppSocket.loggedIn(server.c2sPort(), user, user + "-pw", resource);
        raw.step("<presence/>", "<presence");
        return raw;
    }
}
