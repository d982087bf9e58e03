package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.gateway.Gateway;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ResumptionStore;
import java.time.Instant;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;

/**
 * Connections that go away without a word: silent streams are probed ({@code <r/>} with stream management, a
 * XEP-0199 ping without) and, unanswered, taken for lost; a gateway told to stop hands resumable sessions over.
 */
class StreamManagementLivenessEndToEndTest {

    private static final String SM = "urn:xmpp:sm:3";

    @Test
    void anUnansweredProbeHibernatesAResumableSessionAndEndsAnOtherStream() throws Exception {
        try (AviaryTestServer server = AviaryTestServer.start("aviary.gateway.stream-management.probe-after=1s",
                "aviary.gateway.stream-management.probe-timeout=1s")) {
            server.accounts().register("alice", "alice-pw");
            server.accounts().register("bob", "bob-pw");
            SessionRegistry registry = server.context().getBean(SessionRegistry.class);
            try (RawXmppSocket phone = RawXmppSocket.loggedIn(server.c2sPort(), "alice", "alice-pw", "phone");
                 RawXmppSocket desk = RawXmppSocket.loggedIn(server.c2sPort(), "bob", "bob-pw", "desk")) {
                phone.step("<enable xmlns='" + SM + "' resume='true'/>", "<enabled");

                assertThat(phone.awaitClose(10_000)).isTrue();
                assertThat(phone.received()).contains("<r xmlns=\"" + SM + "\"/>").doesNotContain("<stream:error");
                EntityFullJid alice = JidCreate.entityFullFrom("alice@localhost/phone");
                StreamManagementEndToEndTest.awaitTrue("alice's session hibernated",
                        () -> registry.session(alice).map(SessionEntry::hibernated).orElse(false));

                String deskHeard = desk.readUntil("</stream:stream>", 10_000);
                assertThat(deskHeard).contains("<ping xmlns=\"urn:xmpp:ping\"").contains("<connection-timeout");
            }
        }
    }

    @Test
    void aStoppingGatewayHandsResumableSessionsOverWithoutAStreamError() throws Exception {
        try (AviaryTestServer server = AviaryTestServer.start()) {
            server.accounts().register("alice", "alice-pw");
            server.accounts().register("bob", "bob-pw");
            ResumptionStore store = server.context().getBean(ResumptionStore.class);
            SessionRegistry registry = server.context().getBean(SessionRegistry.class);
            try (RawXmppSocket phone = RawXmppSocket.loggedIn(server.c2sPort(), "alice", "alice-pw", "phone");
                 RawXmppSocket desk = RawXmppSocket.loggedIn(server.c2sPort(), "bob", "bob-pw", "desk")) {
                String enabled = phone.step("<enable xmlns='" + SM + "' resume='true'/>", "<enabled");
                String id = enabled.replaceAll("(?s).*id=\"([^\"]+)\".*", "$1");

                server.context().getBean(Gateway.class).stop();

                assertThat(phone.awaitClose(10_000)).isTrue();
                assertThat(phone.received()).doesNotContain("<stream:error");
                assertThat(desk.readUntil("</stream:stream>", 10_000)).contains("<system-shutdown");
                EntityFullJid alice = JidCreate.entityFullFrom("alice@localhost/phone");
                StreamManagementEndToEndTest.awaitTrue("alice's session hibernated",
                        () -> registry.session(alice).map(SessionEntry::hibernated).orElse(false));
                assertThat(store.state(id)).hasValueSatisfying(s ->
                        assertThat(s.hibernatedUntil()).isAfter(Instant.now().plusSeconds(60)));
            }
        }
    }
}
