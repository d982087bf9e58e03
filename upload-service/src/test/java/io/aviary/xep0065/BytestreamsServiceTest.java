package io.aviary.xep0065;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.capability.HostedService;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** The proxy's IQ side (XEP-0065 §6) without a listener: what it answers, refuses and ignores. */
class BytestreamsServiceTest {

    private static final String NS = BytestreamsService.NAMESPACE;

    private final List<XmlElement> sent = new ArrayList<>();
    private final Transfers transfers = new Transfers(10, 1024, new SimpleMeterRegistry());
    private final BytestreamsService service;

    BytestreamsServiceTest() throws Exception {
        HostedService hosted = HostedService.of(JidCreate.domainBareFrom("proxy.example.org"), "proxy", "proxy",
                "bytestreams", Set.of(NS));
        service = new BytestreamsService(hosted, () -> new StreamHost("proxy.example.org", "198.51.100.7", 7777),
                transfers, sent::add);
    }

    @Test
    void theStreamhostQueryAnswersTheAdvertisedAddress() {
        Stanza answer = ask("get", "proxy.example.org", "<query xmlns='" + NS + "'/>");
        assertThat(answer.type()).isEqualTo("result");
        XmlElement host = answer.payload().orElseThrow().child("streamhost", NS).orElseThrow();
        assertThat(host.attributes()).containsEntry("jid", "proxy.example.org").containsEntry("host", "198.51.100.7")
                .containsEntry("port", "7777");
    }

    @Test
    void discoInfoNamesTheProxyAndItemsAreEmpty() {
        XmlElement info = ask("get", "proxy.example.org",
                "<query xmlns='http://jabber.org/protocol/disco#info'/>").payload().orElseThrow();
        assertThat(info.toXml()).contains("category=\"proxy\"", "type=\"bytestreams\"", NS);
        XmlElement items = ask("get", "proxy.example.org",
                "<query xmlns='http://jabber.org/protocol/disco#items'/>").payload().orElseThrow();
        assertThat(items.elements()).isEmpty();
    }

    @Test
    void anActivationWithoutAPairIsItemNotFound() {
        assertThat(errorOf(ask("set", "proxy.example.org",
                "<query xmlns='" + NS + "' sid='s1'><activate>bob@example.org/b</activate></query>")))
                .isEqualTo("item-not-found");
    }

    @Test
    void malformedRequestsAreBadRequests() {
        assertThat(errorOf(ask("set", "proxy.example.org", "<query xmlns='" + NS + "' sid='s1'/>"))).isEqualTo("bad-request");
        assertThat(errorOf(ask("set", "proxy.example.org",
                "<query xmlns='" + NS + "'><activate>bob@example.org/b</activate></query>"))).isEqualTo("bad-request");
        assertThat(errorOf(ask("set", "proxy.example.org",
                "<query xmlns='" + NS + "' sid='s1'><activate>bob@@example.org</activate></query>")))
                .isEqualTo("bad-request");
        assertThat(errorOf(ask("get", "proxy.example.org",
                "<query xmlns='" + NS + "'><streamhost jid='x' host='h'/></query>"))).isEqualTo("bad-request");
    }

    @Test
    void otherRequestsAndJidsAtTheServiceAreServiceUnavailable() {
        assertThat(errorOf(ask("get", "proxy.example.org", "<query xmlns='jabber:iq:version'/>")))
                .isEqualTo("service-unavailable");
        assertThat(errorOf(ask("get", "someone@proxy.example.org", "<query xmlns='" + NS + "'/>")))
                .isEqualTo("service-unavailable");
    }

    @Test
    void resultsErrorsMessagesAndPresenceAreNeverAnswered() {
        handle("<iq xmlns='jabber:client' type='result' id='r' from='a@example.org/a' to='proxy.example.org'/>");
        handle("<iq xmlns='jabber:client' type='error' id='e' from='a@example.org/a' to='proxy.example.org'/>");
        handle("<message xmlns='jabber:client' from='a@example.org/a' to='proxy.example.org'><body>hi</body></message>");
        handle("<presence xmlns='jabber:client' from='a@example.org/a' to='proxy.example.org'/>");
        assertThat(sent).isEmpty();
    }

    private Stanza ask(String type, String to, String payload) {
        handle("<iq xmlns='jabber:client' type='" + type + "' id='i1' from='alice@example.org/desk' to='" + to + "'>"
                + payload + "</iq>");
        assertThat(sent).hasSize(1);
        return Stanza.of(sent.remove(0)).orElseThrow();
    }

    private void handle(String xml) {
        XmlElement element = XmlDocumentParser.parse(xml.getBytes(StandardCharsets.UTF_8), ParserLimits.DEFAULTS);
        service.handle(Stanza.of(element).orElseThrow(), BusMessage.of(element));
    }

    private static String errorOf(Stanza answer) {
        assertThat(answer.type()).isEqualTo("error");
        return answer.element().child("error", Stanza.CLIENT_NAMESPACE).orElseThrow().firstChild().orElseThrow().name();
    }
}
