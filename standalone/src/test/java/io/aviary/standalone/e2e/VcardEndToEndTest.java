package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import javax.sql.DataSource;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** XEP-0054: one's own vCard, other people's (public, read-only), and the size limit. */
class VcardEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.vcard.max-bytes=2048");
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
            server.accounts().register(user, user + "-secret");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    private static EntityBareJid jid(String user) throws Exception {
        return JidCreate.entityBareFrom(user + "@localhost");
    }

    @Test
    void aliceSetsHerVCardAndBobReadsItButCannotChangeIt() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        try {
            VCard empty = VCardManager.getInstanceFor(alice).loadVCard();
            assertThat(empty.getFirstName()).isNull();
            assertThat(empty.getNickName()).isNull();

            VCard card = new VCard();
            card.setFirstName("Alice");
            card.setLastName("Liddell");
            card.setNickName("ally");
            card.setEmailHome("alice@example.org");
            VCardManager.getInstanceFor(alice).saveVCard(card);

            VCard own = VCardManager.getInstanceFor(alice).loadVCard();
            assertThat(own.getFirstName()).isEqualTo("Alice");
            assertThat(own.getNickName()).isEqualTo("ally");

            VCard seenByBob = VCardManager.getInstanceFor(bob).loadVCard(jid("alice"));
            assertThat(seenByBob.getLastName()).isEqualTo("Liddell");
            assertThat(seenByBob.getEmailHome()).isEqualTo("alice@example.org");

            // Bob tries to overwrite Alice's vCard: forbidden, and hers is unchanged.
            assertThat(RawIq.errorOf(bob, RawIq.set(jid("alice"), "vCard", "vcard-temp", "<NICKNAME>mallory</NICKNAME>")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            assertThat(VCardManager.getInstanceFor(bob).loadVCard(jid("alice")).getNickName()).isEqualTo("ally");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void missingVCardsAndAccountsAreTold() throws Exception {
        XMPPTCPConnection bob = login("bob");
        try {
            // XEP-0054 §3.3: one and the same condition for "no vCard" and "no such user", against harvesting.
            for (String user : new String[] {"carol", "nobody"}) {
                assertThatThrownBy(() -> VCardManager.getInstanceFor(bob).loadVCard(jid(user))).as(user)
                        .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                                e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable));
            }
            assertThat(RawIq.errorOf(bob, RawIq.set(JidCreate.domainBareFrom("localhost"), "vCard", "vcard-temp", "")))
                    .isEqualTo(StanzaError.Condition.forbidden);
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void aVCardOverTheLimitIsNotAcceptableAndChangesNothing() throws Exception {
        XMPPTCPConnection carol = login("carol");
        try {
            VCard big = new VCard();
            big.setFirstName("Carol");
            big.setField("DESC", "x".repeat(4096));
            assertThatThrownBy(() -> VCardManager.getInstanceFor(carol).saveVCard(big))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable));
            assertThat(VCardManager.getInstanceFor(carol).loadVCard().getFirstName()).isNull();
        } finally {
            carol.disconnect();
        }
    }

    @Test
    void aStoredVCardThatCannotBeReadIsDroppedNotFailedOnEveryRead() throws Exception {
        // However it got there, a vCard with a character no XML 1.0 document may hold (U+0000).
        JdbcClient.create(server.context().getBean(DataSource.class)).sql("INSERT INTO vcards (username, vcard) VALUES (?, ?)")
                .params("dave", "<vCard xmlns='vcard-temp'><NICKNAME>\u0000</NICKNAME></vCard>").update();
        XMPPTCPConnection dave = login("dave");
        try {
            assertThat(VCardManager.getInstanceFor(dave).loadVCard().getNickName()).isNull();
            VCard fresh = new VCard();
            fresh.setNickName("dave");
            VCardManager.getInstanceFor(dave).saveVCard(fresh);
            assertThat(VCardManager.getInstanceFor(dave).loadVCard().getNickName()).isEqualTo("dave");
        } finally {
            dave.disconnect();
        }
    }
}
