package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.ServerDescription;
import io.aviary.capability.SpecificationTable;
import io.aviary.testclients.XmppClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Capabilities as declared: what disco#info advertises is what the capabilities declare, every declared IQ namespace
 * is answered and nothing undeclared is; a capability switched off is gone from disco, stream features and routing;
 * the supported-specifications table in the docs is the one the running server generates.
 */
class CapabilitiesEndToEndTest {

    static final Path TABLE_DOC = Path.of("..", "docs", "supported-specifications.md");
    static final Path README = Path.of("..", "README.md");
    static final String START = "<!-- specifications: generated from the capability declarations; do not edit -->";
    static final String END = "<!-- specifications: end -->";

    private static DomainBareJid domain;

    @BeforeAll
    static void domain() throws Exception {
        domain = JidCreate.domainBareFrom(AviaryTestServer.DOMAIN);
    }

    private static XMPPTCPConnection login(AviaryTestServer server, String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    /** The domain's disco#info features, asked on the wire (Smack's caps cache knows an earlier "localhost"). */
    private static Set<String> advertised(XMPPTCPConnection connection) throws Exception {
        Set<String> features = new TreeSet<>();
        DiscoverInfo info = connection.sendIqRequestAndWaitForResponse(
                RawIq.get(domain, "query", "http://jabber.org/protocol/disco#info", ""));
        info.getFeatures().forEach(f -> features.add(f.getVar()));
        return features;
    }

    /** The features after authentication, read off the wire: STARTTLS, SASL PLAIN, stream restart. */
    private static String streamFeaturesAfterLogin(AviaryTestServer server, String user) throws Exception {
        try (RawXmppSocket socket = new RawXmppSocket(server.c2sPort())) {
            socket.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            socket.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
            socket.upgradeToTls();
            socket.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + user + "-secret")
                    .getBytes(StandardCharsets.UTF_8));
            socket.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>")
                    .readUntil("<success", 5000);
            int before = socket.received().length();
            socket.send(RawXmppSocket.HEADER).readUntil("urn:ietf:params:xml:ns:xmpp-bind", 5000);
            long deadline = System.currentTimeMillis() + 5000;
            while (!socket.received().substring(before).contains("</stream:features>")
                    && System.currentTimeMillis() < deadline) {
                socket.readUntil("</never>", 200);
            }
            return socket.received().substring(before);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AllCapabilitiesOn {

        private AviaryTestServer server;

        @BeforeAll
        void start() {
            server = AviaryTestServer.start();
            server.accounts().register("alice", "alice-secret");
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void discoAdvertisesExactlyTheDeclaredFeaturesAndAnswersEachDeclaredNamespace() throws Exception {
            ServerDescription description = new ServerDescription(
                    server.context().getBean(CapabilityCatalogue.class).declarations());
            XMPPTCPConnection alice = login(server, "alice");
            try {
                assertThat(advertised(alice)).isEqualTo(description.discoInfo().features());
                for (Declaration declaration : description.declarations()) {
                    for (String namespace : declaration.iqNamespaces()) {
                        // Each handler may find the empty query wrong, but none may be missing.
                        StanzaError.Condition answer = conditionOf(alice, namespace);
                        assertThat(answer).as("%s of %s", namespace, declaration.name())
                                .isNotEqualTo(StanzaError.Condition.service_unavailable);
                    }
                }
                assertThat(conditionOf(alice, "urn:example:undeclared"))
                        .isEqualTo(StanzaError.Condition.service_unavailable);
            } finally {
                alice.disconnect();
            }
        }

        @Test
        void theDocumentedTableIsTheOneTheServerGenerates() throws Exception {
            String table = SpecificationTable.markdown(server.context().getBean(CapabilityCatalogue.class).declarations());
            String block = START + "\n\n" + table + "\n" + END;
            if (Boolean.getBoolean("aviary.docs.write")) {
                Files.writeString(TABLE_DOC, replaced(Files.readString(TABLE_DOC), block));
                Files.writeString(README, replaced(Files.readString(README), block));
            }
            assertThat(between(Files.readString(TABLE_DOC))).as("docs/supported-specifications.md; regenerate with "
                    + "mvn -pl standalone verify -Dtest=CapabilitiesEndToEndTest -Daviary.docs.write=true").isEqualTo(block);
            assertThat(between(Files.readString(README))).as("README.md").isEqualTo(block);
            assertThat(table).contains("| XEP-0030 Service Discovery |", "| XEP-0199 XMPP Ping |", "| RFC 6121 XMPP IM |",
                    "| XEP-0191 Blocking Command |");
        }

        private static String between(String text) {
            int start = text.indexOf(START);
            int end = text.indexOf(END);
            return start < 0 || end < start ? "" : text.substring(start, end + END.length());
        }

        private static String replaced(String text, String block) {
            return text.substring(0, text.indexOf(START)) + block + text.substring(text.indexOf(END) + END.length());
        }
    }

    /** The answer to an empty get in {@code namespace} to the domain: its error condition, or null for a result. */
    private static StanzaError.Condition conditionOf(XMPPTCPConnection connection, String namespace) throws Exception {
        try {
            connection.sendIqRequestAndWaitForResponse(RawIq.get(domain, "query", namespace, ""));
            return null;
        } catch (org.jivesoftware.smack.XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SwitchedOff {

        private AviaryTestServer server;

        @BeforeAll
        void start() {
            server = AviaryTestServer.start("aviary.capabilities.version.enabled=false",
                    "aviary.capabilities.caps.enabled=false");
            server.accounts().register("alice", "alice-secret");
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void anIqCapabilityVanishesFromDiscoAndRouting() throws Exception {
            XMPPTCPConnection alice = login(server, "alice");
            try {
                assertThat(advertised(alice)).doesNotContain("jabber:iq:version").contains("urn:xmpp:ping");
                assertThat(conditionOf(alice, "jabber:iq:version")).isEqualTo(StanzaError.Condition.service_unavailable);
                assertThat(conditionOf(alice, "urn:xmpp:ping")).isNull();
            } finally {
                alice.disconnect();
            }
        }

        @Test
        void aStreamFeatureCapabilityVanishesFromStreamFeaturesAndDisco() throws Exception {
            String features = streamFeaturesAfterLogin(server, "alice");
            assertThat(features).contains("urn:xmpp:features:rosterver").doesNotContain("http://jabber.org/protocol/caps");

            XMPPTCPConnection alice = login(server, "alice");
            try {
                assertThat(advertised(alice)).doesNotContain("http://jabber.org/protocol/caps");
            } finally {
                alice.disconnect();
            }
        }
    }
}
