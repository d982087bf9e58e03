package io.aviary.xep0114;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.service.Outbox;
import io.aviary.testclients.RawComponent;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.util.unit.DataSize;

/**
 * Two s2s instances of a cluster on one bus and one set of holders: a component connects to one, a stanza for it is
 * consumed by the other (the owner of its partition of the s2s topic) and reaches it through the holder's own topic;
 * a second connection for the domain on the other instance is a conflict; once it left, senders get
 * service-unavailable. The instances are real listeners spoken to over sockets.
 */
class ComponentForwardingTest {

    private static final ComponentsProperties.Component ECHO =
            new ComponentsProperties.Component("echo.example.org", "secret", null, null, null);

    private InProcessBus bus;
    private final BlockingQueue<XmlElement> routed = new LinkedBlockingQueue<>();
    private Instance a;
    private Instance b;

    private record Instance(ConnectedComponents components, ComponentListener listener) implements AutoCloseable {
        @Override
        public void close() {
            listener.close();
            components.close();
        }
    }

    @BeforeEach
    void start() {
        bus = new InProcessBus(4);
        bus.subscribe(Topics.ROUTE, "router", message -> routed.add(message.stanza()));
        LocalComponentHolders holders = new LocalComponentHolders();
        a = instance("s2s-a", holders);
        b = instance("s2s-b", holders);
    }

    private Instance instance(String id, ComponentHolders holders) {
        ComponentsProperties properties = new ComponentsProperties(0, "127.0.0.1", DataSize.ofKilobytes(256),
                DataSize.ofKilobytes(64), Duration.ofSeconds(10), List.of(ECHO), id, Duration.ofSeconds(30));
        ConnectedComponents components = new ConnectedComponents(properties.services(), new Outbox(bus), bus, holders, id);
        components.start();
        ComponentListener listener = new ComponentListener(properties, components, bus);
        listener.start();
        return new Instance(components, listener);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void aStanzaConsumedByAnotherInstanceReachesTheComponentThroughItsHolder() throws Exception {
        try (RawComponent echo = RawComponent.connect(a.listener().port(), "echo.example.org", "secret")) {
            b.components().send(message("romeo@example.net/orchard", "echo.example.org", "via b"));
            assertThat(echo.expect("</message>")).contains("<body>via b</body>").contains("from=\"romeo@example.net/orchard\"");

            try (RawComponent second = RawComponent.open(b.listener().port(), "echo.example.org")) {
                assertThat(second.handshake("secret")).as("held by instance a").contains("<conflict");
            }

            echo.send("<message from='echo.example.org' to='romeo@example.net/orchard'><body>back</body></message>");
            XmlElement back = routed.poll(5, TimeUnit.SECONDS);
            assertThat(back).isNotNull();
            assertThat(back.namespace()).isEqualTo(Stanza.CLIENT_NAMESPACE);
            assertThat(back.childText("body", Stanza.CLIENT_NAMESPACE)).contains("back");
        }
        // Gone: the hold is released, and either instance bounces.
        long deadline = System.currentTimeMillis() + 5_000;
        while (a.components().isConnected(JidCreate.domainBareFrom("echo.example.org"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        b.components().send(message("romeo@example.net/orchard", "echo.example.org", "anyone?"));
        XmlElement bounce = routed.poll(5, TimeUnit.SECONDS);
        assertThat(bounce).isNotNull();
        assertThat(bounce.attributeOrNull("type")).isEqualTo("error");
        assertThat(bounce.toXml()).contains("service-unavailable");
    }

    @Test
    void aComponentThatDoesNotReadIsCutOffAndTheSenderGetsAnError() throws Exception {
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", a.listener().port()), 5_000);
            stuck.setSoTimeout(5_000);
            stuck.getOutputStream().write(("<stream:stream xmlns='jabber:component:accept' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' to='echo.example.org'>").getBytes(StandardCharsets.UTF_8));
            byte[] buffer = new byte[1024];
            int n = stuck.getInputStream().read(buffer);
            Matcher id = Pattern.compile("id='([^']+)'").matcher(new String(buffer, 0, n, StandardCharsets.UTF_8));
            assertThat(id.find()).isTrue();
            stuck.getOutputStream().write(("<handshake>" + RawComponent.digest(id.group(1), "secret") + "</handshake>")
                    .getBytes(StandardCharsets.UTF_8));
            long deadline = System.currentTimeMillis() + 5_000;
            while (!a.components().isConnected(JidCreate.domainBareFrom("echo.example.org"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            // From now on it reads nothing: 4 MB for a 64 KB queue.
            String body = "x".repeat(1024);
            for (int i = 0; i < 4096 && a.components().isConnected(JidCreate.domainBareFrom("echo.example.org")); i++) {
                a.components().send(message("romeo@example.net/orchard", "echo.example.org", body));
            }
            assertThat(a.components().isConnected(JidCreate.domainBareFrom("echo.example.org"))).isFalse();
            XmlElement bounce = routed.poll(5, TimeUnit.SECONDS);
            assertThat(bounce).isNotNull();
            assertThat(bounce.toXml()).contains("service-unavailable");
        }
    }

    /**
     * RFC 6120 §4.9.3.20: a stopping instance tells its components why their streams end. Repeated on fresh
     * listeners, since the error used to be lost when a loop began to stop before it had written it.
     */
    @Test
    void aStoppingInstanceEndsItsComponentsStreamsWithSystemShutdown() throws Exception {
        LocalComponentHolders holders = new LocalComponentHolders();
        for (int round = 0; round < 25; round++) {
            try (Instance stopping = instance("s2s-stopping-" + round, holders);
                    RawComponent echo = RawComponent.connect(stopping.listener().port(), "echo.example.org", "secret")) {
                stopping.listener().close();
                assertThat(echo.expect("</stream:stream>")).as("round %d", round).contains("<system-shutdown");
                assertThat(echo.awaitClose(5_000)).isTrue();
            }
        }
    }

    private static Stanza message(String from, String to, String body) {
        return Stanza.of(XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", from)
                .attribute("to", to).attribute("type", "chat").textChild("body", body).build()).orElseThrow();
    }
}
