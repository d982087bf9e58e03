package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.client.ScramClient;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One-round-trip login over raw sockets: XEP-0388 SASL2 with XEP-0386 Bind2, XEP-0484 FAST tokens and XEP-0474
 * downgrade protection.
 */
class Sasl2EndToEndTest {

    private static final String SASL2 = "urn:xmpp:sasl:2";
    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.gateway.failed-logins-per-minute=3");
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")) {
            server.accounts().register(user, user + "-pw");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void scramLoginWithBind2TakesOneRoundTripOfTheMechanism() throws Exception {
        try (Sasl2Client client = Sasl2Client.connect(server.c2sPort(), "alice")) {
            String features = client.features();
            List<String> mechanisms = all(features.substring(features.indexOf("<authentication"),
                    features.indexOf("<inline", features.indexOf("<authentication"))), "<mechanism>([^<]+)</mechanism>");
            assertThat(features).contains("<authentication xmlns=\"" + SASL2 + "\"")
                    .contains("<bind xmlns=\"urn:xmpp:bind:0\"><inline><feature var=\"urn:xmpp:carbons:2\"/>")
                    .contains("<fast xmlns=\"urn:xmpp:fast:0\"><mechanism>HT-SHA-256-NONE</mechanism>");

            ScramClient scram = scram("alice", "alice-pw");
            // Round trip 1: authenticate → challenge.
            String challenge = client.round("<authenticate xmlns='" + SASL2 + "' mechanism='SCRAM-SHA-256'>"
                    + "<initial-response>" + b64(scram.clientFirst()) + "</initial-response>"
                    + "<user-agent id='" + UUID.randomUUID() + "'><software>Test</software><device>Box</device></user-agent>"
                    + "<bind xmlns='urn:xmpp:bind:0'><tag>Test</tag><enable xmlns='urn:xmpp:carbons:2'/></bind>"
                    + "</authenticate>", "</challenge>");
            String serverFirst = unb64(one(challenge, "<challenge[^>]*>([^<]+)</challenge>"));
            // XEP-0474: h is the hash of the SASL2 mechanisms (no HT-* among them) and the XEP-0440 types (none here).
            assertThat(mechanisms).isNotEmpty().noneMatch(m -> m.startsWith("HT-"));
            assertThat(ScramClient.attributes(serverFirst).get('h')).isEqualTo(ssdp(mechanisms));

            // Round trip 2: response → success, bound.
            String success = client.round("<response xmlns='" + SASL2 + "'>" + b64(scram.clientFinal(serverFirst))
                    + "</response>", "</stream:features>");
            assertThat(success).contains("<success xmlns=\"" + SASL2 + "\"").contains("<bound xmlns=\"urn:xmpp:bind:0\"");
            assertThat(scram.verifyServerFinal(unb64(one(success, "<additional-data>([^<]+)</additional-data>")))).isTrue();
            String jid = one(success, "<authorization-identifier>([^<]+)</authorization-identifier>");
            assertThat(jid).startsWith("alice@localhost/Test/");
            assertThat(client.rounds()).isEqualTo(2);

            // No stream restart: the stream carries stanzas at once, and carbons were enabled inline.
            assertThat(client.round("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>", "</iq>")
                    .replaceAll("\"", "'")).contains("id='p1'").contains("type='result'");
            assertThat(entry(jid).carbons()).isTrue();
        }
    }

    @Test
    void aWrongPasswordFailsAndIsThrottledLikeSasl() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Sasl2Client client = Sasl2Client.connect(server.c2sPort(), "bob")) {
                assertThat(client.scramLogin("bob", "wrong", "")).contains("<failure xmlns=\"" + SASL2 + "\"")
                        .contains("<not-authorized xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
            }
        }
        try (Sasl2Client client = Sasl2Client.connect(server.c2sPort(), "bob")) {
            // failed-logins-per-minute=3: the right password is refused too, before it is checked.
            String reply = client.round("<authenticate xmlns='" + SASL2 + "' mechanism='SCRAM-SHA-256'><initial-response>"
                    + b64(scram("bob", "bob-pw").clientFirst()) + "</initial-response></authenticate>",
                    "</failure>");
            assertThat(reply).contains("<temporary-auth-failure");
        }
    }

    @Test
    void theSameUserAgentGetsTheSameResourceAndReplacesItsOldSession() throws Exception {
        String agent = "<user-agent id='" + UUID.randomUUID() + "'/><bind xmlns='urn:xmpp:bind:0'><tag>Phone</tag></bind>";
        try (Sasl2Client first = Sasl2Client.connect(server.c2sPort(), "carol");
             Sasl2Client second = Sasl2Client.connect(server.c2sPort(), "carol");
             Sasl2Client other = Sasl2Client.connect(server.c2sPort(), "carol")) {
            String firstJid = identifier(first.scramLogin("carol", "carol-pw", agent));
            String secondJid = identifier(second.scramLogin("carol", "carol-pw", agent));
            String otherJid = identifier(other.scramLogin("carol", "carol-pw",
                    "<user-agent id='" + UUID.randomUUID() + "'/><bind xmlns='urn:xmpp:bind:0'><tag>Phone</tag></bind>"));

            assertThat(secondJid).isEqualTo(firstJid).startsWith("carol@localhost/Phone/");
            assertThat(otherJid).isNotEqualTo(firstJid);
            assertThat(first.socket().readUntil("</stream:stream>", 10_000)).contains("<conflict");
        }
    }

    /**
     * XEP-0198 inline: stream management enabled inside Bind2 is answered in {@code <bound/>}, and the next login
     * resumes the session inside {@code <authenticate/>}, without binding, and gets what arrived meanwhile.
     */
    @Test
    void streamManagementIsEnabledInBind2AndTheSessionResumedInlineByTheNextLogin() throws Exception {
        String agent = "<user-agent id='" + UUID.randomUUID() + "'/>";
        String previd;
        String jid;
        try (Sasl2Client phone = Sasl2Client.connect(server.c2sPort(), "ivan")) {
            assertThat(phone.features()).contains("<feature var=\"urn:xmpp:sm:3\"/>")
                    .contains("<sm xmlns=\"urn:xmpp:sm:3\"/>");
            String success = phone.scramLogin("ivan", "ivan-pw", agent + "<bind xmlns='urn:xmpp:bind:0'><tag>Phone</tag>"
                    + "<enable xmlns='urn:xmpp:sm:3' resume='true'/></bind>");
            jid = identifier(success);
            assertThat(success).contains("<bound xmlns=\"urn:xmpp:bind:0\"><enabled xmlns=\"urn:xmpp:sm:3\"");
            previd = one(success, "<enabled[^>]* id=\"([^\"]+)\"");
        } // the connection drops without </stream:stream>: the session hibernates

        try (Sasl2Client judy = Sasl2Client.connect(server.c2sPort(), "judy")) {
            judy.scramLogin("judy", "judy-pw", "<bind xmlns='urn:xmpp:bind:0'><tag>Desk</tag></bind>");
            judy.socket().send("<message to='" + jid + "' type='chat' id='m1'><body>while you were away</body></message>");
            // The message is on its way before Judy leaves (a ping answered after it).
            assertThat(judy.round("<iq type='get' id='e1'><ping xmlns='urn:xmpp:ping'/></iq>", "</iq>"))
                    .doesNotContain("type=\"error\"");
        }

        try (Sasl2Client phone = Sasl2Client.connect(server.c2sPort(), "ivan")) {
            String success = phone.scramLogin("ivan", "ivan-pw",
                    agent + "<resume xmlns='urn:xmpp:sm:3' previd='" + previd + "' h='0'/>"
                            + "<bind xmlns='urn:xmpp:bind:0'><tag>Phone</tag></bind>");
            assertThat(success).contains("<resumed xmlns=\"urn:xmpp:sm:3\"").contains("previd=\"" + previd + "\"")
                    .doesNotContain("<bound");
            assertThat(phone.rounds()).isEqualTo(2);
            assertThat(phone.socket().readUntil("while you were away", 10_000)).contains("while you were away");
        }
    }

    @Test
    void aFastTokenLogsInInOneRoundTripAndIsStoredHashed() throws Exception {
        String agentId = UUID.randomUUID().toString();
        String token = requestToken("dave", agentId);

        byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        List<byte[]> stored = jdbc().sql("SELECT token_hash FROM fast_tokens WHERE username = 'dave'")
                .query(byte[].class).list();
        assertThat(stored).singleElement().isEqualTo(hash);
        assertThat(jdbc().sql("SELECT COUNT(*) FROM fast_tokens WHERE client LIKE ? OR mechanism LIKE ?")
                .params("%" + agentId + "%", "%" + token + "%").query(Integer.class).single()).isZero();

        try (Sasl2Client client = Sasl2Client.connect(server.c2sPort(), "dave")) {
            String success = client.round(fastAuthenticate("dave", token, agentId, "<bind xmlns='urn:xmpp:bind:0'/>"),
                    "</stream:features>");
            assertThat(success).contains("<success xmlns=\"" + SASL2 + "\"").contains("<bound");
            assertThat(client.rounds()).isEqualTo(1);
            // The server proves it held the token: HMAC(token, "Responder").
            assertThat(Base64.getDecoder().decode(one(success, "<additional-data>([^<]+)</additional-data>")))
                    .isEqualTo(hmac(token, "Responder"));
        }
    }

    @Test
    void wrongExpiredAndReplayedTokensFail() throws Exception {
        String agentId = UUID.randomUUID().toString();
        String token = requestToken("erin", agentId);

        assertThat(fastLogin("erin", token, agentId, " count='5'")).contains("<success");
        assertThat(fastLogin("erin", token, agentId, " count='5'")).contains("<not-authorized");
        assertThat(fastLogin("erin", token, agentId, " count='6'")).contains("<success");
        assertThat(fastLogin("erin", token + "x", agentId, "")).contains("<not-authorized");
        assertThat(fastLogin("erin", token, UUID.randomUUID().toString(), "")).contains("<not-authorized");

        // Three failures: failed-logins-per-minute=3 throttles erin now; expiry is checked on another account.
        String expiring = requestToken("heidi", agentId);
        jdbc().sql("UPDATE fast_tokens SET expires_at = 0 WHERE username = 'heidi'").update();
        assertThat(fastLogin("heidi", expiring, agentId, "")).contains("<not-authorized");
    }

    @Test
    void tokensAreRevokedByAPasswordChangeAndByRemovingTheAccount() throws Exception {
        String agentId = UUID.randomUUID().toString();
        String token = requestToken("frank", agentId);
        server.accounts().changePassword("frank", "new-pw");
        assertThat(fastLogin("frank", token, agentId, "")).contains("<not-authorized");

        String next = requestToken("grace", agentId);
        server.accounts().delete("grace");
        server.accounts().register("grace", "grace-pw");
        assertThat(fastLogin("grace", next, agentId, "")).contains("<not-authorized");
    }

    private static String requestToken(String user, String agentId) throws Exception {
        try (Sasl2Client client = Sasl2Client.connect(server.c2sPort(), user)) {
            String success = client.scramLogin(user, user + "-pw", "<user-agent id='" + agentId + "'/>"
                    + "<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>");
            assertThat(success).contains("<token xmlns=\"urn:xmpp:fast:0\"");
            return one(success, "token=\"([^\"]+)\"");
        }
    }

    private static String fastLogin(String user, String token, String agentId, String fastAttributes) throws Exception {
        try (Sasl2Client client = Sasl2Client.connect(server.c2sPort(), user)) {
            return client.round(fastAuthenticate(user, token, agentId, "")
                    .replace("<fast xmlns='urn:xmpp:fast:0'/>", "<fast xmlns='urn:xmpp:fast:0'" + fastAttributes + "/>"),
                    "</failure>", "</stream:features>");
        }
    }

    private static String fastAuthenticate(String user, String token, String agentId, String extra) throws Exception {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] hash = hmac(token, "Initiator");
        byte[] response = new byte[name.length + 1 + hash.length];
        System.arraycopy(name, 0, response, 0, name.length);
        System.arraycopy(hash, 0, response, name.length + 1, hash.length);
        return "<authenticate xmlns='" + SASL2 + "' mechanism='HT-SHA-256-NONE'><initial-response>"
                + Base64.getEncoder().encodeToString(response) + "</initial-response><user-agent id='" + agentId + "'/>"
                + extra + "<fast xmlns='urn:xmpp:fast:0'/></authenticate>";
    }

    private static SessionEntry entry(String jid) throws Exception {
        var full = JidCreate.entityFullFrom(jid);
        return server.context().getBean(SessionRegistry.class).sessions(full.asEntityBareJid()).stream()
                .filter(e -> e.jid().equals(full)).findFirst().orElseThrow();
    }

    private static JdbcClient jdbc() {
        return JdbcClient.create(server.context().getBean(DataSource.class));
    }

    /** XEP-0474 §5.1 computed from what the features advertised. */
    private static String ssdp(List<String> mechanisms) throws Exception {
        String s = String.join("\u001e", mechanisms.stream().sorted().toList());
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String identifier(String success) {
        return one(success, "<authorization-identifier>([^<]+)</authorization-identifier>");
    }

    private static byte[] hmac(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** A SCRAM-SHA-256 exchange of the test's own client, without channel binding. */
    private static ScramClient scram(String user, String password) {
        return new ScramClient(user, password, new ScramClient.SaltedPasswords());
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String text) {
        return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
    }

    private static String one(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }

    private static List<String> all(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** A raw stream after STARTTLS, with the features announced to {@code user}, counting its round trips. */
    private static final class Sasl2Client implements AutoCloseable {

        private final RawXmppSocket socket;
        private final String features;
        private int rounds;

        private Sasl2Client(RawXmppSocket socket, String features) {
            this.socket = socket;
            this.features = features;
        }

        static Sasl2Client connect(int port, String user) throws Exception {
            RawXmppSocket raw = new RawXmppSocket(port);
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 10_000);
            raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 10_000);
            raw.upgradeToTls();
            // XEP-0388 §2.1: the client names the account in the header's from.
            String features = raw.send(RawXmppSocket.HEADER.replace("to='localhost'",
                    "to='localhost' from='" + user + "@localhost'")).readUntil("</stream:features>", 10_000);
            return new Sasl2Client(raw, features);
        }

        String features() {
            return features;
        }

        RawXmppSocket socket() {
            return socket;
        }

        int rounds() {
            return rounds;
        }

        /** Sends {@code xml} and returns what arrived until one of {@code markers}. */
        String round(String xml, String... markers) throws Exception {
            rounds++;
            int from = socket.received().length();
            socket.send(xml);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                // What arrived before this round may hold the marker already: look only at what is new.
                String got = socket.readUntil("\u0000none", 50).substring(from);
                for (String marker : markers) {
                    if (got.contains(marker)) {
                        return got;
                    }
                }
            }
            return socket.received().substring(from);
        }

        /** A SCRAM-SHA-256 login with {@code extra} in {@code <authenticate/>}; the success or failure. */
        String scramLogin(String user, String password, String extra) throws Exception {
            ScramClient scram = scram(user, password);
            String challenge = round("<authenticate xmlns='" + SASL2 + "' mechanism='SCRAM-SHA-256'><initial-response>"
                    + b64(scram.clientFirst()) + "</initial-response>" + extra + "</authenticate>", "</challenge>", "</failure>");
            if (challenge.contains("</failure>")) {
                return challenge;
            }
            String serverFirst = unb64(one(challenge, "<challenge[^>]*>([^<]+)</challenge>"));
            return round("<response xmlns='" + SASL2 + "'>" + b64(scram.clientFinal(serverFirst)) + "</response>",
                    "</stream:features>", "</failure>");
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
