package io.aviary.xep0215;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class ExternalServicesHandlerTest {

    private static final String NS = ExternalServicesHandler.NAMESPACE;
    private static final Instant NOW = Instant.parse("2026-12-02T17:00:00Z");
    private static final String SECRET = "turn-shared-secret";

    private final ExternalServicesHandler handler = new ExternalServicesHandler(domain(), List.of(
            new ExtdiscoProperties.Service("stun.example.com", null, "stun", null, "STUN", null),
            new ExtdiscoProperties.Service("turn.example.com", null, "turn", null, "Relay", SECRET),
            new ExtdiscoProperties.Service("turn.example.com", 443, "turns", null, null, SECRET),
            new ExtdiscoProperties.Service("turn.example.com", 3479, "turn", "tcp", null, SECRET)),
            new TurnCredentials(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(2)));

    @Test
    void allServicesWithCredentialsForTheRestrictedOnes_andDefaultPortsAndTransports() {
        Stanza reply = get("romeo@example.com/phone", "example.com", "<services xmlns='" + NS + "'/>");

        assertThat(reply.type()).isEqualTo("result");
        XmlElement services = reply.payload().orElseThrow();
        assertThat(services.is("services", NS)).isTrue();
        assertThat(services.attributeOrNull("type")).isNull();
        List<XmlElement> listed = services.elements().toList();
        assertThat(listed).extracting(s -> s.attributeOrNull("host") + " " + s.attributeOrNull("port") + " "
                + s.attributeOrNull("type") + " " + s.attributeOrNull("transport")).containsExactly(
                "stun.example.com 3478 stun udp", "turn.example.com 3478 turn udp", "turn.example.com 443 turns tcp",
                "turn.example.com 3479 turn tcp");
        XmlElement stun = listed.get(0);
        assertThat(stun.attributeOrNull("name")).isEqualTo("STUN");
        assertThat(stun.attributeOrNull("restricted")).isNull();
        assertThat(stun.attributeOrNull("username")).isNull();
        assertThat(stun.attributeOrNull("password")).isNull();
        XmlElement turn = listed.get(1);
        String username = (NOW.getEpochSecond() + 7200) + ":romeo@example.com";
        assertThat(turn.attributeOrNull("restricted")).isEqualTo("true");
        assertThat(turn.attributeOrNull("username")).isEqualTo(username);
        assertThat(turn.attributeOrNull("password")).isEqualTo(TurnCredentials.password(SECRET, username));
        assertThat(turn.attributeOrNull("expires")).isEqualTo("2026-12-02T19:00:00Z");
        assertThat(reply.toXml()).doesNotContain(SECRET);
    }

    @Test
    void servicesOfOneTypeCarryThatType_andAnUnknownTypeGetsAnEmptyList() {
        XmlElement turns = get("romeo@example.com/phone", "example.com", "<services xmlns='" + NS + "' type='turn'/>")
                .payload().orElseThrow();
        assertThat(turns.attributeOrNull("type")).isEqualTo("turn");
        assertThat(turns.elements().map(s -> s.attributeOrNull("port"))).containsExactly("3478", "3479");

        XmlElement ftp = get("romeo@example.com/phone", "example.com", "<services xmlns='" + NS + "' type='ftp'/>")
                .payload().orElseThrow();
        assertThat(ftp.attributeOrNull("type")).isEqualTo("ftp");
        assertThat(ftp.elements()).isEmpty();
    }

    @Test
    void credentialsForAHostAndTypeListEveryPort_orOnlyTheNamedOne() {
        Stanza all = get("juliet@example.com/pc", "example.com",
                "<credentials xmlns='" + NS + "'><service host='TURN.example.com' type='turn'/></credentials>");
        XmlElement credentials = all.payload().orElseThrow();
        assertThat(credentials.is("credentials", NS)).isTrue();
        assertThat(credentials.elements().map(s -> s.attributeOrNull("port"))).containsExactly("3478", "3479");
        assertThat(credentials.elements().map(s -> s.attributeOrNull("username")))
                .allMatch(u -> u.endsWith(":juliet@example.com"));

        Stanza one = get("juliet@example.com/pc", "example.com",
                "<credentials xmlns='" + NS + "'><service host='turn.example.com' type='turn' port='3479'/></credentials>");
        List<XmlElement> services = one.payload().orElseThrow().elements().toList();
        assertThat(services).hasSize(1);
        assertThat(services.get(0).attributeOrNull("transport")).isEqualTo("tcp");
        assertThat(services.get(0).attributeOrNull("password")).isEqualTo(
                TurnCredentials.password(SECRET, services.get(0).attributeOrNull("username")));
    }

    @Test
    void credentialsOfAnUnknownHostTypeOrPort_orOfAServiceThatNeedsNone_areNotFound() {
        for (String service : List.of("<service host='elsewhere.example.com' type='turn'/>",
                "<service host='turn.example.com' type='stun'/>", "<service host='turn.example.com' type='turn' port='9'/>",
                "<service host='stun.example.com' type='stun'/>")) {
            assertThat(condition(get("romeo@example.com/phone", "example.com",
                    "<credentials xmlns='" + NS + "'>" + service + "</credentials>"))).as(service)
                    .isEqualTo("item-not-found");
        }
    }

    @Test
    void aCredentialsRequestWithoutHostOrType_aSet_andAnUnknownElementAreBadRequests() {
        for (String payload : List.of("<credentials xmlns='" + NS + "'/>",
                "<credentials xmlns='" + NS + "'><service type='turn'/></credentials>",
                "<credentials xmlns='" + NS + "'><service host='turn.example.com'/></credentials>",
                "<other xmlns='" + NS + "'/>")) {
            assertThat(condition(get("romeo@example.com/phone", "example.com", payload))).as(payload)
                    .isEqualTo("bad-request");
        }
        assertThat(condition(iq("set", "romeo@example.com/phone", "example.com", "<services xmlns='" + NS + "'/>")))
                .isEqualTo("bad-request");
    }

    @Test
    void onlyTheDomainAnswers_andOnlyItsOwnAccountsAreAnswered() {
        assertThat(condition(get("romeo@example.com/phone", "juliet@example.com", "<services xmlns='" + NS + "'/>")))
                .isEqualTo("service-unavailable");
        assertThat(condition(get("romeo@example.com/phone", null, "<services xmlns='" + NS + "'/>")))
                .isEqualTo("service-unavailable");
        Stanza remote = get("mallory@elsewhere.example/x", "example.com",
                "<credentials xmlns='" + NS + "'><service host='turn.example.com' type='turn'/></credentials>");
        assertThat(condition(remote)).isEqualTo("forbidden");
        assertThat(remote.toXml()).doesNotContain("username=").doesNotContain(SECRET);
        assertThat(condition(get("elsewhere.example", "example.com", "<services xmlns='" + NS + "'/>")))
                .isEqualTo("forbidden");
    }

    @Test
    void aBadServiceConfigurationStopsTheStart_andTheSecretIsNeverPrinted() {
        assertThatThrownBy(() -> new ExtdiscoProperties.Service("stun.example.com", null, "stun", null, null, "s"))
                .hasMessageContaining("STUN binding needs no credentials");
        assertThatThrownBy(() -> new ExtdiscoProperties.Service("x.example.com", null, "ftp", null, null, null))
                .hasMessageContaining("type");
        assertThatThrownBy(() -> new ExtdiscoProperties.Service("x.example.com", null, "turn", "sctp", null, null))
                .hasMessageContaining("transport");
        assertThatThrownBy(() -> new ExtdiscoProperties.Service("x.example.com", 70000, "turn", null, null, null))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new ExtdiscoProperties.Service(null, null, "turn", null, null, null))
                .hasMessageContaining("host");
        assertThatThrownBy(() -> new ExtdiscoProperties(List.of(), Duration.ZERO)).hasMessageContaining("credential-ttl");
        ExtdiscoProperties.Service turn = new ExtdiscoProperties.Service("turn.example.com", null, "TURN", null, null,
                SECRET);
        assertThat(turn.type()).isEqualTo("turn");
        assertThat(turn.toString()).doesNotContain(SECRET);
        assertThat(new ExtdiscoProperties(List.of(turn), Duration.ofDays(1)).toString()).doesNotContain(SECRET);
    }

    @Test
    void theFeatureIsDeclaredOnlyWithServicesConfigured() {
        assertThat(ExtdiscoConfiguration.declaration(true).serverFeatures()).containsExactly(NS);
        assertThat(ExtdiscoConfiguration.declaration(false).serverFeatures()).isEmpty();
        assertThat(ExtdiscoConfiguration.declaration(false).specifications()).isNotEmpty();
    }

    private Stanza get(String from, String to, String payload) {
        return iq("get", from, to, payload);
    }

    private Stanza iq(String type, String from, String to, String payload) {
        String xml = "<iq xmlns='jabber:client' type='" + type + "' id='e1' from='" + from + "'"
                + (to == null ? "" : " to='" + to + "'") + ">" + payload + "</iq>";
        return handler.handle(Stanza.of(XmlDocumentParser.parse(xml.getBytes(StandardCharsets.UTF_8),
                ParserLimits.DEFAULTS)).orElseThrow());
    }

    private static String condition(Stanza reply) {
        assertThat(reply.type()).isEqualTo("error");
        XmlElement error = reply.element().child("error", Stanza.CLIENT_NAMESPACE).orElseThrow();
        return error.elements().filter(e -> e.namespace().equals(StanzaErrorCondition.NAMESPACE)
                && !e.name().equals("text")).findFirst().orElseThrow().name();
    }

    private static org.jxmpp.jid.DomainBareJid domain() {
        try {
            return JidCreate.domainBareFrom("example.com");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
