package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.PluginLoader;
import io.aviary.testclients.XmppClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * The sample plugin (sample-plugins/motd) dropped as a jar into a server's plugins directory: it loads through the
 * SPI alone, shows in disco and in the specifications, and does its job for a real client; a jar that cannot be
 * loaded stops the start with a message naming it, or is skipped when the operator says so.
 */
class PluginEndToEndTest {

    /** Built by the plugin's module and copied here by the build (standalone/pom.xml), off the test class path. */
    private static final Path SAMPLE = Path.of("target", "test-plugins", "plugin-motd.jar");
    private static final String MOTD = "Welcome to Aviary: the lobby opens at nine.";

    @TempDir
    Path plugins;

    private AviaryTestServer start(String... more) {
        String[] properties = new String[more.length + 1];
        properties[0] = "aviary.plugins.dir=" + plugins;
        System.arraycopy(more, 0, properties, 1, more.length);
        return AviaryTestServer.start(properties);
    }

    private static XMPPTCPConnection connection(AviaryTestServer server, String resource) throws Exception {
        return new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "alice", "alice-secret", null)
                .setResource(Resourcepart.from(resource)).build());
    }

    private static BlockingQueue<Message> headlines(XMPPTCPConnection connection) {
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(stanza -> inbox.add((Message) stanza),
                stanza -> stanza instanceof Message m && m.getType() == Message.Type.headline);
        return inbox;
    }

    @Test
    void theSamplePluginGreetsEachAccountOnceAndAnswersItsQuery() throws Exception {
        Files.copy(SAMPLE, plugins.resolve("motd.jar"));
        try (AviaryTestServer server = start("aviary.capabilities.motd.message=" + MOTD)) {
            server.accounts().register("alice", "alice-secret");
            assertThat(server.context().getBean(CapabilityCatalogue.class).declarations())
                    .extracting(Declaration::name).contains("motd");

            XMPPTCPConnection laptop = connection(server, "laptop");
            BlockingQueue<Message> laptopInbox = headlines(laptop);
            laptop.connect().login();
            XMPPTCPConnection phone = null;
            try {
                Message greeting = XmppClients.next(laptopInbox, Duration.ofSeconds(10));
                assertThat(greeting).as("the message of the day").isNotNull();
                assertThat(greeting.getBody()).isEqualTo(MOTD);
                assertThat(greeting.getType()).isEqualTo(Message.Type.headline);
                assertThat(greeting.getFrom().toString()).isEqualTo(AviaryTestServer.DOMAIN);

                assertThat(ServiceDiscoveryManager.getInstanceFor(laptop)
                        .discoverInfo(JidCreate.domainBareFrom(AviaryTestServer.DOMAIN)).containsFeature("urn:aviary:motd:0"))
                        .isTrue();
                IQ answer = laptop.sendIqRequestAndWaitForResponse(
                        RawIq.get(JidCreate.domainBareFrom(AviaryTestServer.DOMAIN), "motd", "urn:aviary:motd:0", ""));
                assertThat(answer.toXML().toString()).contains(MOTD);

                // The plugin remembers (in its store) that alice has seen this text: a second resource is not greeted.
                phone = connection(server, "phone");
                BlockingQueue<Message> phoneInbox = headlines(phone);
                phone.connect().login();
                XmppClients.assertStillChats(phone);
                assertThat(XmppClients.next(phoneInbox, Duration.ofSeconds(2))).isNull();
            } finally {
                laptop.disconnect();
                if (phone != null) {
                    phone.disconnect();
                }
            }
        }
    }

    @Test
    void aCorruptJarStopsTheStartWithAMessageNamingIt() throws Exception {
        Files.write(plugins.resolve("broken.jar"), "this is not a zip file".getBytes());

        Throwable failure = catchThrowable(this::start);
        while (failure != null && !(failure instanceof PluginLoader.PluginLoadException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("the start fails because of the plugin").isNotNull()
                .hasMessageContaining("broken.jar").hasMessageContaining("not a readable jar");
    }

    @Test
    void aBrokenJarIsSkippedWhenTheOperatorSaysSo() throws Exception {
        Files.write(plugins.resolve("broken.jar"), "this is not a zip file".getBytes());
        Files.copy(SAMPLE, plugins.resolve("motd.jar"));

        try (AviaryTestServer server = start("aviary.plugins.on-error=skip")) {
            assertThat(server.context().getBean(CapabilityCatalogue.class).declarations())
                    .extracting(Declaration::name).contains("motd", "roster");
        }
    }
}
