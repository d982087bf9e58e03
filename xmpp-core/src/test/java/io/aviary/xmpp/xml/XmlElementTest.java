package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An element's attributes and children as the rest of the server relies on them: immutable, ordered, shared. */
class XmlElementTest {

    private static final XmlElement MESSAGE = XmlFragment.parse(
            "<message xmlns='jabber:client' to='b@x' from='a@x/r' type='chat' id='1'>"
                    + "<body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
                    + "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>");

    @Test
    void attributesKeepDocumentOrderAndAnswerLookUps() {
        assertThat(MESSAGE.attributes().keySet()).containsExactly("to", "from", "type", "id");
        assertThat(MESSAGE.attributeOrNull("type")).isEqualTo("chat");
        assertThat(MESSAGE.attributes()).containsEntry("id", "1").doesNotContainKey("lang");
        assertThat(MESSAGE.attributeOrNull("lang")).isNull();
        assertThat(MESSAGE.toXml()).startsWith("<message xmlns=\"jabber:client\" to=\"b@x\" from=\"a@x/r\" type=\"chat\"");
    }

    @Test
    void attributesCannotBeChanged() {
        Map<String, String> attributes = MESSAGE.attributes();
        assertThatThrownBy(() -> attributes.put("to", "c@x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attributes.remove("to")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(attributes::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attributes.entrySet().iterator().next().setValue("c@x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(MESSAGE.attributeOrNull("to")).isEqualTo("b@x");
    }

    @Test
    void aMapPassedInIsCopiedNotKept() {
        Map<String, String> given = new LinkedHashMap<>(Map.of("id", "1"));
        XmlElement element = new XmlElement("iq", "jabber:client", given, List.of());
        given.put("id", "2");
        assertThat(element.attributeOrNull("id")).isEqualTo("1");
    }

    @Test
    void equalToTheSameElementBuiltAnotherWay() {
        XmlElement built = XmlElement.builder("message", "jabber:client").attribute("to", "b@x").attribute("from", "a@x/r")
                .attribute("type", "chat").attribute("id", "1").children(MESSAGE.children()).build();
        assertThat(built).isEqualTo(MESSAGE).hasSameHashCodeAs(MESSAGE);
        assertThat(built.attributes()).isEqualTo(new LinkedHashMap<>(MESSAGE.attributes()));
        assertThat(MESSAGE.withAttribute("id", "2")).isNotEqualTo(MESSAGE);
    }

    @Test
    void aCopyThatAddsAChildSharesTheAttributes() {
        XmlElement stamped = MESSAGE.withChild(XmlElement.empty("stanza-id", "urn:xmpp:sid:0"));
        assertThat(stamped.attributes()).isSameAs(MESSAGE.attributes());
        assertThat(MESSAGE.withAttribute("id", null).attributes().keySet()).containsExactly("to", "from", "type");
    }

    @Test
    void childLookUpsFindTheFirstMatchingElement() {
        assertThat(MESSAGE.child("body", "jabber:client").map(XmlElement::text)).contains("hi");
        assertThat(MESSAGE.child("origin-id").flatMap(o -> o.attribute("id"))).contains("o1");
        assertThat(MESSAGE.child("body", "urn:other")).isEmpty();
        assertThat(MESSAGE.firstChild().map(XmlElement::name)).contains("body");
        assertThat(XmlElement.empty("iq", "jabber:client").firstChild()).isEmpty();
        XmlElement textOnly = XmlElement.builder("body", "jabber:client").text("x").build();
        assertThat(textOnly.firstChild()).isEmpty();
    }
}
