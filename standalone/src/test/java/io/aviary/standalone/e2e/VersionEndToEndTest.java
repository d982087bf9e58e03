package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0092: the server names itself, shows its OS only when configured to. */
class VersionEndToEndTest {

    @Test
    void nameAndConfiguredVersionWithoutOsByDefault() throws Exception {
        try (AviaryTestServer server = AviaryTestServer.start("aviary.software-version.version=1.2.3")) {
            server.accounts().register("alice", "alice-secret");
            XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "alice", "alice-secret", null).build());
            try {
                Version version = VersionManager.getInstanceFor(alice).getVersion(JidCreate.domainBareFrom("localhost"));
                assertThat(version.getName()).isEqualTo("Aviary");
                assertThat(version.getVersion()).isEqualTo("1.2.3");
                assertThat(version.getOs()).isNull();

                // An account's bare JID is not the server's to answer for (RFC 6121 §8.5.1).
                assertThat(RawIq.errorOf(alice, RawIq.get(JidCreate.entityBareFrom("alice@localhost"), "query",
                        "jabber:iq:version", ""))).isEqualTo(StanzaError.Condition.service_unavailable);
            } finally {
                alice.disconnect();
            }
        }
    }

    @Test
    void theOsWhenTheOperatorAllowsIt() throws Exception {
        try (AviaryTestServer server = AviaryTestServer.start("aviary.software-version.show-os=true")) {
            server.accounts().register("alice", "alice-secret");
            XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "alice", "alice-secret", null).build());
            try {
                Version version = VersionManager.getInstanceFor(alice).getVersion(JidCreate.domainBareFrom("localhost"));
                assertThat(version.getVersion()).isNotBlank();
                assertThat(version.getOs()).startsWith(System.getProperty("os.name"));
            } finally {
                alice.disconnect();
            }
        }
    }
}
