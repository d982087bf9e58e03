package io.aviary.xep0313;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class MamQueryHandlerTest {

    private static final String ALICE = "alice@example.com";
    private static final String RSM = "http://jabber.org/protocol/rsm";

    private final InMemoryArchiveStore store = new InMemoryArchiveStore();
    private final List<XmlElement> sent = new ArrayList<>();
    private MamQueryHandler handler;

    @BeforeEach
    void archive() throws Exception {
        handler = new MamQueryHandler(JidCreate.domainBareFrom("example.com"), store, () -> { }, sent::add, 5,
                new SimpleMeterRegistry());
        for (int i = 1; i <= 8; i++) {
            String with = i % 2 == 0 ? "bob@example.com/phone" : "carol@example.com/pc";
            store.append(new ArchivedMessage(ALICE, "id" + i, at(i), Direction.INCOMING, with, "m" + i,
                    ArchiveWriterTest.message("m" + i, "text " + i), false));
        }
    }

    @Test
    void aQuerySendsResultsThenFinWithTheRsmSet_cappedAtMaxPage() {
        Stanza reply = set("<query xmlns='urn:xmpp:mam:2' queryid='q1'/>");

        assertThat(resultIds()).containsExactly("id1", "id2", "id3", "id4", "id5");
        XmlElement result = sent.get(0).child("result", "urn:xmpp:mam:2").orElseThrow();
        assertThat(result.attributeOrNull("queryid")).isEqualTo("q1");
        assertThat(sent.get(0).attributeOrNull("to")).isEqualTo("alice@example.com/desk");
        assertThat(sent.get(0).attributeOrNull("from")).isEqualTo(ALICE);
        XmlElement forwarded = result.child("forwarded", "urn:xmpp:forward:0").orElseThrow();
        assertThat(forwarded.child("delay", "urn:xmpp:delay").orElseThrow().attributeOrNull("stamp"))
                .isEqualTo("2026-01-01T00:00:01Z");
        assertThat(forwarded.child("message", Stanza.CLIENT_NAMESPACE).orElseThrow().childText("body",
                Stanza.CLIENT_NAMESPACE)).contains("text 1");
        XmlElement fin = fin(reply);
        assertThat(fin.attributeOrNull("complete")).isNull();
        XmlElement rsm = fin.child("set", RSM).orElseThrow();
        assertThat(rsm.child("first", RSM).orElseThrow().attributeOrNull("index")).isEqualTo("0");
        assertThat(rsm.childText("first", RSM)).contains("id1");
        assertThat(rsm.childText("last", RSM)).contains("id5");
        assertThat(rsm.childText("count", RSM)).contains("8");
    }

    @Test
    void pagesForwardsAndBackwardsAndFlips() {
        XmlElement fin = fin(set(query("", "<max>3</max><after>id6</after>")));
        assertThat(resultIds()).containsExactly("id7", "id8");
        assertThat(fin.attributeOrNull("complete")).isEqualTo("true");

        sent.clear();
        fin = fin(set(query("", "<max>3</max><before/>")));
        assertThat(resultIds()).containsExactly("id6", "id7", "id8");
        assertThat(fin.attributeOrNull("complete")).isNull();
        assertThat(fin.child("set", RSM).orElseThrow().child("first", RSM).orElseThrow().attributeOrNull("index"))
                .isEqualTo("5");

        sent.clear();
        fin = fin(set(query("", "<max>3</max><before>id3</before>")));
        assertThat(resultIds()).containsExactly("id1", "id2");
        assertThat(fin.attributeOrNull("complete")).isEqualTo("true");

        sent.clear();
        fin = fin(set("<query xmlns='urn:xmpp:mam:2'><set xmlns='" + RSM + "'><max>3</max><before/></set>"
                + "<flip-page/></query>"));
        assertThat(resultIds()).containsExactly("id8", "id7", "id6");
        assertThat(fin.child("set", RSM).orElseThrow().childText("first", RSM)).contains("id6");
    }

    @Test
    void formFieldsFilter() {
        set(query(field("with", "bob@example.com") + field("after-id", "id2") + field("before-id", "id8"), ""));
        assertThat(resultIds()).containsExactly("id4", "id6");

        sent.clear();
        set(query(field("start", "2026-01-01T00:00:03Z") + field("end", "2026-01-01T01:00:04+01:00"), ""));
        assertThat(resultIds()).containsExactly("id3", "id4");

        sent.clear();
        set(query("<field var='ids'><value>id7</value><value>id2</value></field>", ""));
        assertThat(resultIds()).containsExactly("id2", "id7");
    }

    @Test
    void errors() {
        assertThat(condition(set(query(field("after-id", "nope"), "")))).isEqualTo("item-not-found");
        assertThat(condition(set(query(field("ids", "nope"), "")))).isEqualTo("item-not-found");
        assertThat(condition(set(query("", "<after>nope</after>")))).isEqualTo("item-not-found");
        assertThat(condition(set(query(field("start", "yesterday"), "")))).isEqualTo("bad-request");
        assertThat(condition(set(query(field("start", "2026-01-01T00:00:00"), "")))).isEqualTo("bad-request");
        assertThat(condition(set(query(field("FORM_TYPE", "urn:xmpp:mam:1"), "")))).isEqualTo("bad-request");
        assertThat(condition(set(query("", "<max>many</max>")))).isEqualTo("bad-request");
        assertThat(condition(set(query("", "<after>id1</after><before>id5</before>")))).isEqualTo("bad-request");
        assertThat(condition(set(query(field("include-groupchat", "true"), ""))))
                .isEqualTo("feature-not-implemented");
        assertThat(condition(set(query("", "<index>3</index>")))).isEqualTo("feature-not-implemented");
        assertThat(condition(handler.handle(iq("set", "bob@example.com", "<query xmlns='urn:xmpp:mam:2'/>"))))
                .isEqualTo("forbidden");
        assertThat(sent).isEmpty();
    }

    @Test
    void formPreferencesAndMetadata() {
        XmlElement form = handler.handle(iq("get", null, "<query xmlns='urn:xmpp:mam:2'/>")).payload().orElseThrow()
                .child("x", "jabber:x:data").orElseThrow();
        assertThat(form.elements().map(f -> f.attributeOrNull("var")))
                .containsExactly("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids");

        XmlElement prefs = handler.handle(iq("get", ALICE, "<prefs xmlns='urn:xmpp:mam:2'/>")).payload().orElseThrow();
        assertThat(prefs.attributeOrNull("default")).isEqualTo("always");
        handler.handle(iq("set", null, "<prefs xmlns='urn:xmpp:mam:2' default='roster'><always><jid>bob@example.com</jid>"
                + "</always><never><jid>carol@example.com</jid></never></prefs>"));
        assertThat(store.preferences(ALICE)).isEqualTo(new ArchivePreferences(ArchivePreferences.Default.ROSTER,
                java.util.Set.of("bob@example.com"), java.util.Set.of("carol@example.com")));
        assertThat(condition(handler.handle(iq("set", null, "<prefs xmlns='urn:xmpp:mam:2' default='sometimes'/>"))))
                .isEqualTo("bad-request");

        XmlElement metadata = handler.handle(iq("get", null, "<metadata xmlns='urn:xmpp:mam:2'/>")).payload()
                .orElseThrow();
        assertThat(metadata.child("start", "urn:xmpp:mam:2").orElseThrow().attributeOrNull("id")).isEqualTo("id1");
        assertThat(metadata.child("end", "urn:xmpp:mam:2").orElseThrow().attributeOrNull("timestamp"))
                .isEqualTo("2026-01-01T00:00:08Z");
        store.removeOwner(ALICE);
        assertThat(handler.handle(iq("get", null, "<metadata xmlns='urn:xmpp:mam:2'/>")).payload().orElseThrow()
                .elements()).isEmpty();
    }

    private Stanza set(String payload) {
        return handler.handle(iq("set", null, payload));
    }

    private static Stanza iq(String type, String to, String payload) {
        String xml = "<iq xmlns='jabber:client' type='" + type + "' id='i1' from='alice@example.com/desk'"
                + (to == null ? "" : " to='" + to + "'") + ">" + payload + "</iq>";
        return Stanza.of(XmlDocumentParser.parse(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                io.aviary.xmpp.xml.ParserLimits.DEFAULTS)).orElseThrow();
    }

    private static String query(String fields, String rsm) {
        return "<query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' type='submit'>"
                + field("FORM_TYPE", "urn:xmpp:mam:2") + fields + "</x>"
                + (rsm.isEmpty() ? "" : "<set xmlns='" + RSM + "'>" + rsm + "</set>") + "</query>";
    }

    private static String field(String var, String value) {
        return "<field var='" + var + "'><value>" + value + "</value></field>";
    }

    private List<String> resultIds() {
        return sent.stream().map(m -> m.child("result", "urn:xmpp:mam:2").orElseThrow().attributeOrNull("id")).toList();
    }

    private static XmlElement fin(Stanza reply) {
        assertThat(reply.type()).isEqualTo("result");
        return reply.payload().filter(p -> p.is("fin", "urn:xmpp:mam:2")).orElseThrow();
    }

    private static String condition(Stanza reply) {
        assertThat(reply.type()).isEqualTo("error");
        return reply.element().child("error", Stanza.CLIENT_NAMESPACE).orElseThrow().elements()
                .filter(e -> e.namespace().equals("urn:ietf:params:xml:ns:xmpp-stanzas") && !e.name().equals("text"))
                .findFirst().orElseThrow().name();
    }

    private static Instant at(int second) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second);
    }
}
