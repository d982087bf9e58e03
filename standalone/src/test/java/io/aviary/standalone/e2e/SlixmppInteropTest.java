package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.testclients.XmppClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * A second, independent client implementation: Debian's python3-slixmpp logs in (STARTTLS,
 * SCRAM), chats with a Smack client, gets carbons, reads its archive, enters a group chat room and shares a file,
 * publishes an avatar and a bookmark. Skipped, saying why, where slixmpp is not installed.
 */
class SlixmppInteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/slixmpp_chat.py");
    private static final Path CARBONS_SCRIPT = Path.of("src/test/python/slixmpp_carbons.py");
    private static final Path MAM_SCRIPT = Path.of("src/test/python/slixmpp_mam.py");
    private static final Path MUC_UPLOAD_SCRIPT = Path.of("src/test/python/slixmpp_muc_upload.py");
    private static final Path PEP_SCRIPT = Path.of("src/test/python/slixmpp_pep.py");

    /**
     * Group chat and file sharing as a slixmpp user does them: it enters a room a Smack user created (XEP-0045),
     * talks with her, then shares a file over XEP-0363 HTTP upload, trusting the server's certificate; the file
     * downloads from the URL it got, the same bytes.
     */
    @Test
    void slixmppEntersARoomTalksWithSmackAndSharesAFile() throws Exception {
        assumeTrue(slixmppInstalled(), "python3-slixmpp is not installed (apt-get install python3-slixmpp)");
        try (AviaryTestServer server = AviaryTestServer.start()) {
            server.accounts().register("sly", "sly-pw");
            XMPPTCPConnection alice = smackUser(server, "alice", "smack");
            EntityBareJid lounge = JidCreate.entityBareFrom("lounge@conference.localhost");
            MultiUserChat room = MultiUserChatManager.getInstanceFor(alice).getMultiUserChat(lounge);
            room.create(Resourcepart.from("alice")).makeInstant();
            room.addMessageListener(message -> {
                if ("sly".equals(message.getFrom().getResourceOrEmpty().toString())) {
                    try {
                        room.sendMessage("welcome, " + message.getBody());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Path file = Files.createTempFile("shared", ".bin");
            byte[] content = new byte[100_000];
            new Random(7).nextBytes(content);
            Files.write(file, content);
            ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), MUC_UPLOAD_SCRIPT.toString(), "127.0.0.1",
                    String.valueOf(server.c2sPort()), "sly@localhost/py", "sly-pw", lounge.toString(), "sly",
                    file.toString(), "upload.localhost").redirectErrorStream(true);
            builder.environment().put("SSL_CERT_FILE",
                    server.dataDir().resolve("tls").resolve("self-signed-localhost.crt").toString());
            Process slixmpp = builder.start();
            try {
                // The script exits within 30 s, so the wait and the read are bounded.
                assertThat(slixmpp.waitFor(40, TimeUnit.SECONDS)).isTrue();
                String output = new String(slixmpp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(output).as(output).contains("ROOM alice welcome, hello from slixmpp");
                assertThat(slixmpp.exitValue()).as(output).isZero();
                String url = output.lines().filter(l -> l.startsWith("UPLOADED ")).findFirst().orElseThrow()
                        .substring("UPLOADED ".length());
                HttpResponse<byte[]> download = HttpClient.newBuilder().sslContext(XmppClients.trustAllContext())
                        .connectTimeout(Duration.ofSeconds(10)).build()
                        .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertThat(download.statusCode()).isEqualTo(200);
                assertThat(download.body()).isEqualTo(content);
            } finally {
                slixmpp.destroyForcibly();
                alice.disconnect();
            }
        }
    }

    @Test
    void slixmppAndSmackExchangeMessages() throws Exception {
        assumeTrue(slixmppInstalled(), "python3-slixmpp is not installed (apt-get install python3-slixmpp)");
        try (AviaryTestServer server = AviaryTestServer.start()) {
            server.accounts().register("sly", "sly-pw");
            XMPPTCPConnection alice = smackUser(server, "alice", "smack");
            BlockingQueue<Message> inbox = XmppClients.inbox(alice);
            Process slixmpp = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), "127.0.0.1",
                    String.valueOf(server.c2sPort()), "sly@localhost/py", "sly-pw", "alice@localhost", "hello from slixmpp")
                    .redirectErrorStream(true).start();
            try {
                Message fromSlixmpp = XmppClients.next(inbox, Duration.ofSeconds(30));
                assertThat(fromSlixmpp).as("message from slixmpp").isNotNull();
                assertThat(fromSlixmpp.getBody()).isEqualTo("hello from slixmpp");
                assertThat(fromSlixmpp.getFrom().toString()).isEqualTo("sly@localhost/py");
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(fromSlixmpp.getFrom())
                        .ofType(Message.Type.chat).setBody("hello from smack").build());
                assertThat(slixmpp.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String output = new String(slixmpp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(output).contains("REPLY hello from smack");
                assertThat(slixmpp.exitValue()).isZero();
            } finally {
                slixmpp.destroyForcibly();
                alice.disconnect();
            }
        }
    }

    /** XEP-0280 as profanity asks for it at login: slixmpp's carbons plugin sees both sides of Alice's chat. */
    @Test
    void slixmppGetsCarbonCopiesOfAConversationOnAnotherResource() throws Exception {
        assumeTrue(slixmppInstalled(), "python3-slixmpp is not installed (apt-get install python3-slixmpp)");
        try (AviaryTestServer server = AviaryTestServer.start()) {
            XMPPTCPConnection alice = smackUser(server, "alice", "smack");
            XMPPTCPConnection bob = smackUser(server, "bob", "pc");
            BlockingQueue<Message> aliceInbox = XmppClients.inbox(alice);
            Process slixmpp = new ProcessBuilder(PYTHON.toString(), CARBONS_SCRIPT.toString(), "127.0.0.1",
                    String.valueOf(server.c2sPort()), "alice@localhost/py", "alice-pw").redirectErrorStream(true).start();
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(slixmpp.getInputStream(), StandardCharsets.UTF_8))) {
                // The script exits within 30 s, ending the output, so each read is bounded.
                String line;
                while ((line = output.readLine()) != null && !line.equals("CARBONS ON")) {
                    // slixmpp's log lines before carbons are on
                }
                assertThat(line).as("slixmpp enabled carbons").isEqualTo("CARBONS ON");
                bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(JidCreate.from("alice@localhost/smack"))
                        .ofType(Message.Type.chat).setBody("hello alice").build());
                assertThat(XmppClients.next(aliceInbox, Duration.ofSeconds(10))).isNotNull();
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@localhost/pc"))
                        .ofType(Message.Type.chat).setBody("hello bob").build());
                assertThat(slixmpp.waitFor(40, TimeUnit.SECONDS)).isTrue();
                String rest = output.lines().collect(Collectors.joining("\n"));
                assertThat(rest).contains("RECEIVED bob@localhost/pc hello alice", "SENT bob@localhost/pc hello bob");
                assertThat(slixmpp.exitValue()).isZero();
            } finally {
                slixmpp.destroyForcibly();
                alice.disconnect();
                bob.disconnect();
            }
        }
    }

    /** XEP-0313 as slixmpp's MAM plugin pages through it (XEP-0059 {@code <after/>}, five messages a page). */
    @Test
    void slixmppReadsItsArchiveOfAConversationPageByPage() throws Exception {
        assumeTrue(slixmppInstalled(), "python3-slixmpp is not installed (apt-get install python3-slixmpp)");
        try (AviaryTestServer server = AviaryTestServer.start()) {
            XMPPTCPConnection alice = smackUser(server, "alice", "smack");
            XMPPTCPConnection bob = smackUser(server, "bob", "pc");
            try {
                BlockingQueue<Message> bobInbox = XmppClients.inbox(bob);
                for (int i = 1; i <= 12; i++) {
                    alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@localhost"))
                            .ofType(Message.Type.chat).setBody("line " + i).build());
                    assertThat(XmppClients.next(bobInbox, Duration.ofSeconds(10))).isNotNull();
                }
                bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(JidCreate.from("alice@localhost"))
                        .ofType(Message.Type.chat).setBody("got them all").build());
                Process slixmpp = new ProcessBuilder(PYTHON.toString(), MAM_SCRIPT.toString(), "127.0.0.1",
                        String.valueOf(server.c2sPort()), "bob@localhost/py", "bob-pw", "alice@localhost", "5")
                        .redirectErrorStream(true).start();
                try {
                    // The script exits within 30 s, so the wait and the read are bounded.
                    assertThat(slixmpp.waitFor(40, TimeUnit.SECONDS)).isTrue();
                    List<String> archived = new BufferedReader(new InputStreamReader(slixmpp.getInputStream(),
                            StandardCharsets.UTF_8)).lines().filter(l -> l.startsWith("ARCHIVED ") || l.startsWith("TOTAL "))
                            .toList();
                    List<String> expected = new ArrayList<>();
                    for (int i = 1; i <= 12; i++) {
                        expected.add("ARCHIVED alice@localhost/smack line " + i);
                    }
                    expected.add("ARCHIVED bob@localhost/pc got them all");
                    expected.add("TOTAL 13");
                    assertThat(archived).isEqualTo(expected);
                    assertThat(slixmpp.exitValue()).isZero();
                } finally {
                    slixmpp.destroyForcibly();
                }
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        }
    }

    /**
     * PEP as a slixmpp user meets it: it publishes an avatar (XEP-0084 data and metadata) and sets a bookmark in
     * private storage (XEP-0048, as slixmpp 1.8 does), which the server turns into a XEP-0402 item (XEP-0411). A
     * contact whose client shows avatars is told of the new one, fetches it, the same bytes; the account's vCard
     * carries it as its PHOTO (XEP-0398).
     */
    @Test
    void slixmppPublishesAnAvatarAndABookmark() throws Exception {
        assumeTrue(slixmppInstalled(), "python3-slixmpp is not installed (apt-get install python3-slixmpp)");
        try (AviaryTestServer server = AviaryTestServer.start()) {
            XMPPTCPConnection alice = smackUser(server, "alice", "smack");
            // Bob's client shows avatars: its caps ask for avatar metadata (XEP-0163 filtered notifications).
            XMPPTCPConnection bob = PepEndToEndTest.loginAsking(newAccount(server, "bob", "pc"), PepEndToEndTest.AVATAR);
            try {
                // The presence access model (PEP's default for avatars) admits contacts with a presence subscription.
                SubscriptionEndToEndTest.subscribeBothWays(alice, "alice", bob, "bob");
                // Alice's PEP service has learnt Bob's caps before slixmpp publishes: he is told live, not on login.
                PepEndToEndTest.awaitNotified(alice, bob);
                BlockingQueue<String> bobEvents = PepEndToEndTest.events(bob);
                Process slixmpp = new ProcessBuilder(PYTHON.toString(), PEP_SCRIPT.toString(), "127.0.0.1",
                        String.valueOf(server.c2sPort()), "alice@localhost/py", "alice-pw", "lobby@conference.localhost")
                        .redirectErrorStream(true).start();
                List<String> reported;
                try {
                    // The script exits within 30 s, so the wait and the read are bounded.
                    assertThat(slixmpp.waitFor(40, TimeUnit.SECONDS)).isTrue();
                    reported = new BufferedReader(new InputStreamReader(slixmpp.getInputStream(),
                            StandardCharsets.UTF_8)).lines()
                            .filter(l -> l.startsWith("AVATAR ") || l.startsWith("BOOKMARK ")).toList();
                    assertThat(slixmpp.exitValue()).as("slixmpp's output: %s", reported).isZero();
                } finally {
                    slixmpp.destroyForcibly();
                }
                assertThat(reported).hasSize(2).last().isEqualTo("BOOKMARK lobby@conference.localhost");
                String[] avatar = reported.get(0).split(" ");
                String sha1 = avatar[1];

                // XEP-0084 §4.3: the metadata notification names the image slixmpp published, by its SHA-1.
                String notification = bobEvents.poll(10, TimeUnit.SECONDS);
                assertThat(notification).as("Bob's avatar notification").isNotNull()
                        .contains("from='alice@localhost'").contains("urn:xmpp:avatar:metadata")
                        .containsPattern("<info [^>]*id=['\"]" + sha1 + "['\"]")
                        .containsPattern("<info [^>]*bytes=['\"]" + avatar[2] + "['\"]");

                // Bob fetches the image by its id and gets the bytes slixmpp hashed.
                String item = bob.sendIqRequestAndWaitForResponse(RawIq.get(JidCreate.bareFrom("alice@localhost"),
                        "pubsub", "http://jabber.org/protocol/pubsub", "<items node='urn:xmpp:avatar:data'><item id='"
                                + sha1 + "'/></items>")).toXML().toString();
                String base64 = item.replaceAll("(?s).*<data xmlns='urn:xmpp:avatar:data'>([^<]*)</data>.*", "$1");
                byte[] image = Base64.getMimeDecoder().decode(base64);
                assertThat(image).hasSize(Integer.parseInt(avatar[2]));
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(image))).isEqualTo(sha1);
                // XEP-0398: the avatar became the vCard's photo.
                VCard vcard = VCardManager.getInstanceFor(bob).loadVCard(JidCreate.entityBareFrom("alice@localhost"));
                assertThat(vcard.getAvatar()).isEqualTo(image);
                // XEP-0411: the private-storage bookmark is an item of Alice's (whitelist) bookmarks node.
                assertThat(alice.sendIqRequestAndWaitForResponse(RawIq.get(null, "pubsub",
                        "http://jabber.org/protocol/pubsub", "<items node='urn:xmpp:bookmarks:1'/>")).toXML().toString())
                        .contains("id='lobby@conference.localhost'").contains("name='Lobby'");
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        }
    }

    /** A new account {@code user} (password {@code user-pw}), logged in with Smack as {@code resource}. */
    private static XMPPTCPConnection smackUser(AviaryTestServer server, String user, String resource)
            throws Exception {
        return XmppClients.connect(newAccount(server, user, resource));
    }

    /** Registers {@code user} (password {@code user-pw}); Smack's configuration to log in as {@code resource}. */
    private static XMPPTCPConnectionConfiguration newAccount(AviaryTestServer server, String user, String resource)
            throws Exception {
        server.accounts().register(user, user + "-pw");
        return XmppClients.startTls(server.c2sPort(), user, user + "-pw", null).setResource(resource).build();
    }

    private static boolean slixmppInstalled() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import slixmpp").start();
        return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
