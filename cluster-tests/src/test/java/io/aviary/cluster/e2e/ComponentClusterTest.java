package io.aviary.cluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.router.archive.ServiceTopics;
import io.aviary.testclients.RawComponent;
import io.aviary.testclients.XmppClients;
import io.aviary.xep0114.ComponentListener;
import io.aviary.xep0114.ConnectedComponents;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * XEP-0114 components in a cluster (Kafka, Redis, PostgreSQL, each tier its own application): a component connects to
 * one of two s2s instances while the s2s topic's partitions are divided between both, so stanzas consumed by the other
 * instance reach it through its holder's topic; when its instance stops, it reconnects to the other and is reached
 * there.
 */
class ComponentClusterTest {

    private static final List<String> COMPONENTS = List.of("--aviary.components.port=0",
            "--aviary.components.services[0].domain=echo.localhost",
            "--aviary.components.services[0].secret=echo-secret");

    private static TestCluster cluster;
    private static ConfigurableApplicationContext gateway;
    private static ConfigurableApplicationContext s2sA;
    private static ConfigurableApplicationContext s2sB;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        ConfigurableApplicationContext roster = cluster.startRoster();
        ConfigurableApplicationContext router = cluster.startRouter();
        cluster.startSession();
        gateway = cluster.startGateway("gw-1");
        s2sA = cluster.startS2s(with("--aviary.components.instance-id=s2s-a"));
        s2sB = cluster.startS2s(with("--aviary.components.instance-id=s2s-b"));
        cluster.accounts(roster).register("alice", "alice-pw");
        // The router reads the capabilities' declarations through a short cache: wait until it knows the component.
        ServiceTopics topics = router.getBean(ServiceTopics.class);
        long deadline = System.currentTimeMillis() + 15_000;
        while (!topics.hosts(JidCreate.domainBareFrom("echo.localhost")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(topics.hosts(JidCreate.domainBareFrom("echo.localhost"))).isTrue();
    }

    private static List<String> with(String argument) {
        List<String> all = new ArrayList<>(COMPONENTS);
        all.add(argument);
        return all;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aComponentIsReachedWhicheverInstanceConsumesItsStanzasAndAfterItsInstanceStops() throws Exception {
        XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(TestCluster.c2sPort(gateway), "alice",
                "alice-pw", null).setResource("desk").build());
        BlockingQueue<Message> inbox = XmppClients.inbox(alice);
        try (RawComponent echo = RawComponent.connect(port(s2sA), "echo.localhost", "echo-secret")) {
            // Directly through the other instance, which does not hold it: over its holder's Kafka topic.
            s2sB.getBean(ConnectedComponents.class).send(Stanza.of(XmlElement.builder("message", Stanza.CLIENT_NAMESPACE)
                    .attribute("from", "alice@localhost/desk").attribute("to", "echo.localhost")
                    .textChild("body", "forwarded").build()).orElseThrow());
            assertThat(echo.expect("</message>")).contains("<body>forwarded</body>");

            // Through the router: eight keys, spread over the partitions of both instances.
            assertReached(alice, echo, "first");

            echo.send("<message from='bot@echo.localhost' to='alice@localhost/desk' type='chat'><body>hi</body></message>");
            Message hi = XmppClients.next(inbox, Duration.ofSeconds(20));
            assertThat(hi).isNotNull();
            assertThat(hi.getFrom().toString()).isEqualTo("bot@echo.localhost");

            s2sA.close();
            assertThat(echo.read("</stream:stream>")).contains("<system-shutdown");
        }
        // Its instance stopped: the component connects to the other, which now also consumes every partition.
        try (RawComponent echo = RawComponent.connect(port(s2sB), "echo.localhost", "echo-secret")) {
            assertReached(alice, echo, "second");
        } finally {
            alice.disconnect();
        }
    }

    /** Alice writes to eight JIDs at the component; each message arrives (in any order across keys). */
    private static void assertReached(XMPPTCPConnection alice, RawComponent echo, String round) throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String body = round + " " + i;
            expected.add("<body>" + body + "</body>");
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("user" + i + "@echo.localhost"))
                    .ofType(Message.Type.chat).setBody(body).build());
        }
        // Each wait is for one body, in a buffer that keeps all that arrived: the order across keys does not matter.
        String received = "";
        for (String body : expected) {
            received = echo.read(body);
        }
        String all = received;
        assertThat(expected).allSatisfy(body -> assertThat(all).contains(body));
    }

    private static int port(ConfigurableApplicationContext s2s) {
        return s2s.getBean(ComponentListener.class).port();
    }
}
