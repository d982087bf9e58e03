package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.testclients.XmppClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * A real browser client: Converse.js (npm) in headless Chromium, driven by playwright-core, logs in
 * over WebSocket and over BOSH, sends a message to a Smack client and shows its reply, and enters a group chat room
 * where a Smack occupant answers it. Screenshots
 * are kept in {@code target/browser-artifacts/}.
 *
 * <p>Needs Chromium ({@code -Daviary.chromium=...} or env {@code AVIARY_CHROMIUM}, default
 * {@code /usr/bin/chromium}), {@code node} on the PATH, and {@code npm ci} run in
 * {@code src/test/browser} ({@code -Daviary.browser-dir=...} to point elsewhere); without them the
 * test is skipped, saying which is missing.
 */
class BrowserClientEndToEndTest {

    static final Path BROWSER_DIR = Path.of(System.getProperty("aviary.browser-dir", "src/test/browser"));
    private static final Path ARTIFACTS = Path.of("target", "browser-artifacts");
    static final String CHROMIUM = System.getProperty("aviary.chromium",
            System.getenv().getOrDefault("AVIARY_CHROMIUM", "/usr/bin/chromium"));

    private static AviaryTestServer server;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<Message> julietInbox = new LinkedBlockingQueue<>();

    /** Why the browser cannot run here, or null when it can. */
    private static String missing;

    @BeforeAll
    static void start() throws Exception {
        missing = missingPrerequisite();
        if (missing != null) {
            return;
        }
        server = AviaryTestServer.start("aviary.gateway.http.plain-auth-allowed=true");
        assertThat(server.accounts().register("romeo", "romeo-secret").ok()).isTrue();
        assertThat(server.accounts().register("juliet", "juliet-secret").ok()).isTrue();
        juliet = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "juliet", "juliet-secret", null).setResource("smack").build());
        // Juliet answers every message, so the browser has a reply to show.
        juliet.addAsyncStanzaListener(stanza -> {
            Message message = (Message) stanza;
            julietInbox.add(message);
            try {
                juliet.sendStanza(juliet.getStanzaFactory().buildMessageStanza().to(message.getFrom())
                        .ofType(Message.Type.chat).setBody("echo: " + message.getBody()).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, stanza -> stanza instanceof Message m && m.getBody() != null && m.getType() != Message.Type.groupchat);
    }

    @BeforeEach
    void requirePrerequisites() {
        assumeTrue(missing == null, missing);
    }

    @AfterAll
    static void stop() {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void converseOverWebSocketChatsWithSmack() throws Exception {
        int port = BoshSmackEndToEndTest.httpPort(server);
        chat("websocket_url=ws://127.0.0.1:" + port + "/xmpp-websocket", "Hello over WebSocket", "websocket.png");
    }

    @Test
    void converseOverBoshChatsWithSmack() throws Exception {
        int port = BoshSmackEndToEndTest.httpPort(server);
        chat("bosh_service_url=http://127.0.0.1:" + port + "/http-bind", "Hello over BOSH", "bosh.png");
    }

    /** Juliet (Smack) creates a room and answers each message in it; Converse.js enters it as romeo and talks. */
    @Test
    void converseEntersAGroupChatRoomAndTalksWithASmackOccupant() throws Exception {
        EntityBareJid balcony = JidCreate.entityBareFrom("balcony@conference.localhost");
        MultiUserChat room = MultiUserChatManager.getInstanceFor(juliet).getMultiUserChat(balcony);
        room.create(Resourcepart.from("juliet")).makeInstant();
        BlockingQueue<Message> roomMessages = new LinkedBlockingQueue<>();
        room.addMessageListener(message -> {
            if (message.getBody() != null && !message.getBody().startsWith("echo: ")) {
                roomMessages.add(message);
                try {
                    room.sendMessage("echo: " + message.getBody());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        int port = BoshSmackEndToEndTest.httpPort(server);

        runBrowser("websocket_url=ws://127.0.0.1:" + port + "/xmpp-websocket", List.of("room=" + balcony, "nick=romeo"),
                "Hello, room", "room.png");

        Message received = roomMessages.poll(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.getBody()).isEqualTo("Hello, room");
        assertThat(received.getFrom().toString()).isEqualTo(balcony + "/romeo");
        room.leave();
    }

    private void chat(String endpoint, String text, String screenshot) throws Exception {
        runBrowser(endpoint, List.of("contact=juliet@localhost"), text, screenshot);
        Message received = julietInbox.poll(10, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.getBody()).isEqualTo(text);
        assertThat(received.getFrom().asBareJid().toString()).isEqualTo("romeo@localhost");
    }

    /** Romeo, in Converse.js, sends {@code text} to {@code target} and waits for {@code "echo: " + text}. */
    private static void runBrowser(String endpoint, List<String> target, String text, String screenshot)
            throws Exception {
        Path shot = ARTIFACTS.resolve(screenshot).toAbsolutePath();
        Files.deleteIfExists(shot);
        List<String> command = new ArrayList<>(List.of("node", "converse-chat.mjs", "chromium=" + CHROMIUM,
                "jid=romeo@localhost", "password=romeo-secret", endpoint));
        command.addAll(target);
        command.addAll(List.of("message=" + text, "reply=echo: " + text, "screenshot=" + shot));
        Process node = new ProcessBuilder(command)
                .directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        boolean exited = node.waitFor(120, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            node.destroyForcibly();
        }
        assertThat(exited).as("browser script finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(shot).exists();
    }

    /** Why no browser test can run here, or null when one can. */
    static String missingPrerequisite() {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            return "no Chromium at " + CHROMIUM + " (apt-get install chromium, or set -Daviary.chromium)";
        }
        if (!nodeAvailable()) {
            return "no node on the PATH";
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/converse.js/dist"))
                || !Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            return "no node_modules in " + BROWSER_DIR.toAbsolutePath() + " (run npm ci there)";
        }
        return null;
    }

    private static boolean nodeAvailable() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
