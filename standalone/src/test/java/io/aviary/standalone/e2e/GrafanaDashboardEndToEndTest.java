package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * The Grafana dashboard of {@code deploy/grafana} asks only for metrics the server exports: after a little of
 * everything the panels show (logins good and bad, chat, a room, a stream error), every metric a panel's query names is
 * in the server's Prometheus scrape, except the cluster-only ones, whose panels say so.
 */
class GrafanaDashboardEndToEndTest {

    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "aviary-dashboard.json");
    private static final Pattern EXPRESSION = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METRIC = Pattern.compile("\\b((?:xmpp|aviary|jvm|process|kafka)_[a-z0-9_]+)");
    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        server.accounts().register("ada", "ada-pw");
        server.accounts().register("ben", "ben-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyPanelAsksForMetricsTheServerExports() throws Exception {
        XMPPTCPConnection ada = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "ada", "ada-pw", null).build());
        XMPPTCPConnection ben = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "ben", "ben-pw", null).build());
        try {
            var toBen = XmppClients.inbox(ben);
            ada.sendStanza(ada.getStanzaFactory().buildMessageStanza().to(ben.getUser().asBareJid())
                    .ofType(org.jivesoftware.smack.packet.Message.Type.chat).setBody("hello, panels").build());
            assertThat(toBen.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            MultiUserChat room = MultiUserChatManager.getInstanceFor(ada)
                    .getMultiUserChat(JidCreate.entityBareFrom("dashboard@conference.localhost"));
            room.create(Resourcepart.from("ada")).makeInstant();
            room.sendMessage("for the panels");
            room.leave();
            try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
                raw.send(RawXmppSocket.HEADER + "<message><unclosed></message>");
                raw.awaitClose(5_000);
            }
            try {
                XmppClients.connect(XmppClients.startTls(server.c2sPort(), "ada", "wrong", null).build()).disconnect();
            } catch (Exception expected) {
                // a failed login, for the failed-logins panel
            }
        } finally {
            ada.disconnect();
            ben.disconnect();
        }

        String dashboard = Files.readString(DASHBOARD);
        Set<String> asked = new TreeSet<>();
        Matcher expressions = EXPRESSION.matcher(dashboard);
        while (expressions.find()) {
            METRIC.matcher(expressions.group(1)).results().map(m -> m.group(1)).forEach(asked::add);
        }
        assertThat(asked).as("metrics the panels ask for").isNotEmpty();
        Set<String> clusterOnly = asked.stream().filter(name -> name.startsWith("kafka_")).collect(Collectors.toSet());
        assertThat(clusterOnly).allSatisfy(name -> assertThat(dashboard).contains("(cluster)"));

        PrometheusMeterRegistry prometheus = server.context().getBean(PrometheusMeterRegistry.class);
        // jvm_gc_pause_seconds exists once the JVM has reported a collection; a short run may have had none yet.
        System.gc();
        long deadline = System.nanoTime() + 10_000_000_000L; // archive writes land behind the bus
        Set<String> missing = missing(asked, clusterOnly, prometheus.scrape());
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            missing = missing(asked, clusterOnly, prometheus.scrape());
        }
        assertThat(missing).as("asked for by the dashboard but not exported").isEmpty();
    }

    private static Set<String> missing(Set<String> asked, Set<String> clusterOnly, String scrape) {
        Set<String> exported = scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        return asked.stream().filter(name -> !clusterOnly.contains(name) && !exported.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
