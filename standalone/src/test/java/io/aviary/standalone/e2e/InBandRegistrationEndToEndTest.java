package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import java.util.HashMap;
import java.util.Map;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.parts.Localpart;

/** XEP-0077 before login, with open registration: a client registers, then logs in. */
class InBandRegistrationEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.gateway.registration-open=true");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void fieldsTheServerDidNotAskForAreIgnored() throws Exception {
        XMPPTCPConnection fresh = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "nobody", "none", null).build());
        try {
            fresh.connect();
            // Smack, like other clients and test tools, sends <name/> and <email/> along; Prosody and ejabberd accept them.
            AccountManager.getInstance(fresh).createAccount(Localpart.from("rosalind"), "arden-forest",
                    new HashMap<>(Map.of("name", "Rosalind", "email", "rosalind@arden.lit"))); // Smack adds to it
        } finally {
            fresh.disconnect();
        }
        assertThat(server.accounts().exists("rosalind")).isTrue();

        XMPPTCPConnection rosalind = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "rosalind", "arden-forest", null).build());
        try {
            assertThat(rosalind.isAuthenticated()).isTrue();
        } finally {
            rosalind.disconnect();
        }
    }

    /**
     * A user who cancels their account (XEP-0077 §3.2) leaves the name behind: contacts' rosters, rooms and servers
     * elsewhere still know it as theirs, so the next client to register it in band gets {@code conflict}, as for a
     * taken name. The operator may still give it out again.
     */
    @Test
    void aCancelledAccountsNameIsNotHandedToTheNextRegistrant() throws Exception {
        registerInBand("orlando", "arden-forest");
        XMPPTCPConnection orlando = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "orlando", "arden-forest", null).build());
        AccountManager.getInstance(orlando).deleteAccount();
        orlando.disconnect();
        assertThat(server.accounts().exists("orlando")).isFalse();

        assertThatThrownBy(() -> registerInBand("Orlando", "usurper"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict));
        assertThat(server.accounts().exists("orlando")).isFalse();

        assertThat(server.accounts().register("orlando", "given-back").ok()).as("the operator decides").isTrue();
    }

    private static void registerInBand(String username, String password) throws Exception {
        XMPPTCPConnection fresh = new XMPPTCPConnection(
                XmppClients.startTls(server.c2sPort(), "nobody", "none", null).build());
        try {
            fresh.connect();
            AccountManager.getInstance(fresh).createAccount(Localpart.from(username), password);
        } finally {
            fresh.disconnect();
        }
    }
}
