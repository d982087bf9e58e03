package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import io.aviary.xep0114.ComponentListener;
import io.aviary.xep0114.ConnectedComponents;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * A real gateway as a component (XEP-0114, XEP-0100 in practice): Biboumi, the XMPP-IRC gateway, connects to Aviary's
 * component port as {@code irc.localhost} and bridges the channel {@code #chan} of a local ngircd. An Aviary user joins
 * it as a group chat ({@code #chan%<irc host>@irc.localhost}) and talks with a user of a plain IRC client. Skipped
 * when biboumi or ngircd is not installed.
 *
 * <p>Biboumi tries the IRC ports 6697 and 6670 (TLS), then 6667; its per-server ports are settable only through an
 * ad-hoc command with a database. So the IRC server listens on 6667 of a loopback address of its own, picked at random
 * in 127.0.0.0/8 (free on this machine), and the room's JID names that address.
 */
class BiboumiGatewayTest {

    private static final String SECRET = "irc-secret";

    private static Path workDir;
    private static String ircHost;
    private static Process ngircd;
    private static Process biboumi;
    private static AviaryTestServer server;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> biboumiBinary = executable("biboumi");
        Optional<Path> ngircdBinary = executable("ngircd");
        Assumptions.assumeTrue(biboumiBinary.isPresent() && ngircdBinary.isPresent(),
                "biboumi and ngircd (Debian packages) are needed for the IRC gateway test");
        workDir = Files.createTempDirectory("aviary-biboumi");
        ircHost = freeLoopbackAddress();
        Files.writeString(workDir.resolve("ngircd.conf"), String.join("\n",
                "[Global]", "Name = irc.test", "Info = Aviary test IRC server", "Listen = " + ircHost,
                "Ports = 6667", "PidFile = " + workDir.resolve("ngircd.pid"), "MotdPhrase = test",
                "[Options]", "PAM = no", "Ident = no", "DNS = no", ""));
        ngircd = new ProcessBuilder(ngircdBinary.get().toString(), "-n", "-f", workDir.resolve("ngircd.conf").toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("ngircd.log").toFile()).start();
        awaitListening(ircHost, 6667);

        server = AviaryTestServer.start(
                "aviary.components.services[0].domain=irc.localhost",
                "aviary.components.services[0].secret=" + SECRET,
                "aviary.components.services[0].name=IRC gateway",
                "aviary.components.services[0].type=irc");
        int port = server.context().getBean(ComponentListener.class).port();
        Files.writeString(workDir.resolve("biboumi.cfg"), String.join("\n",
                "hostname=irc.localhost", "password=" + SECRET, "xmpp_server_ip=127.0.0.1", "port=" + port,
                "identd_port=0", "log_level=1", "db_name=" + workDir.resolve("biboumi.sqlite"), "realname_customization=false",
                "policy_directory=" + workDir, ""));
        biboumi = new ProcessBuilder(biboumiBinary.get().toString(), workDir.resolve("biboumi.cfg").toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("biboumi.log").toFile()).start();
        ConnectedComponents components = server.context().getBean(ConnectedComponents.class);
        long deadline = System.currentTimeMillis() + 15_000;
        while (!components.isConnected(JidCreate.domainBareFrom("irc.localhost")) && biboumi.isAlive()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(components.isConnected(JidCreate.domainBareFrom("irc.localhost")))
                .as("biboumi connected; its log: %s", log("biboumi.log")).isTrue();
        server.accounts().register("alice", "alice-pw");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process process : new Process[] {biboumi, ngircd}) {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAviaryUserAndAnIrcUserTalkInAChannelThroughBiboumi() throws Exception {
        try (IrcClient bob = new IrcClient(ircHost, 6667, "ircbob")) {
            bob.send("JOIN #chan");
            assertThat(bob.await(" 366 ", 10_000)).as("bob joined #chan").isNotNull();

            XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null)
                    .setResource("desk").build());
            try {
                alice.setReplyTimeout(30_000);
                MultiUserChat chan = MultiUserChatManager.getInstanceFor(alice)
                        .getMultiUserChat(JidCreate.entityBareFrom("#chan%" + ircHost + "@irc.localhost"));
                BlockingQueue<Message> fromRoom = new LinkedBlockingQueue<>();
                chan.addMessageListener(message -> {
                    if (message.getBody() != null) {
                        fromRoom.add(message);
                    }
                });
                chan.join(Resourcepart.from("alice"));
                assertThat(bob.await("JOIN", 10_000)).as("bob saw alice join over IRC").contains("alice");

                chan.sendMessage("hello from xmpp");
                assertThat(bob.await("PRIVMSG #chan", 10_000)).as("bob got alice's message")
                        .startsWith(":alice!").endsWith(":hello from xmpp");

                bob.send("PRIVMSG #chan :hello from irc");
                Message message = pollUntil(fromRoom, "hello from irc");
                assertThat(message).as("alice got bob's message; biboumi's log: %s", log("biboumi.log")).isNotNull();
                assertThat(message.getFrom().toString()).isEqualTo("#chan%" + ircHost + "@irc.localhost/ircbob");
                assertThat(message.getType()).isEqualTo(Message.Type.groupchat);

                // Leaving: alice's unavailable presence reaches IRC as a PART (or a QUIT: biboumi closes its IRC
                // connection with the last channel), and biboumi's unavailable self-presence (status 110) comes back.
                BlockingQueue<Presence> leaving = new LinkedBlockingQueue<>();
                alice.addAsyncStanzaListener(stanza -> leaving.add((Presence) stanza), stanza -> stanza instanceof Presence p
                        && p.getType() == Presence.Type.unavailable && p.getFrom().toString().endsWith("/alice"));
                alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                        .to(JidCreate.fullFrom("#chan%" + ircHost + "@irc.localhost/alice")).build());
                assertThat(bob.await(":alice!", 10_000)).as("bob saw alice leave").containsAnyOf("PART", "QUIT");
                Presence left = leaving.poll(10, TimeUnit.SECONDS);
                assertThat(left).as("alice's own unavailable presence from the room; biboumi's log: %s", log("biboumi.log"))
                        .isNotNull();
            } finally {
                alice.disconnect();
            }
        }
    }

    private static Message pollUntil(BlockingQueue<Message> queue, String body) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            Message message = queue.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (message != null && body.equals(message.getBody())) {
                return message;
            }
        }
        return null;
    }

    private static Optional<Path> executable(String name) {
        List<String> dirs = new java.util.ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    /** A random address of 127.0.0.0/8 where port 6667 is free. */
    private static String freeLoopbackAddress() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String address = "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
            try (ServerSocket probe = new ServerSocket(6667, 1, InetAddress.getByName(address))) {
                return address;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback address for port 6667");
    }

    private static void awaitListening(String host, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("ngircd did not listen on " + host + ":" + port + ": " + log("ngircd.log"));
    }

    private static String log(String name) {
        try {
            return Files.readString(workDir.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
