package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlDocumentParserTest {

    private static final ParserLimits LIMITS = new ParserLimits(1024, 4, 8);

    private static XmlElement parse(String document) {
        return XmlDocumentParser.parse(document.getBytes(StandardCharsets.UTF_8), LIMITS);
    }

    private static void assertFails(String document, StreamErrorCondition condition) {
        assertThatThrownBy(() -> parse(document))
                .isInstanceOf(XmppStreamException.class)
                .satisfies(e -> assertThat(((XmppStreamException) e).error().condition()).isEqualTo(condition));
    }

    @Test
    void parsesOneElementWithItsNamespaces() {
        XmlElement open = parse("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com' version='1.0'/>");
        assertThat(open.is("open", "urn:ietf:params:xml:ns:xmpp-framing")).isTrue();
        assertThat(open.attributeOrNull("to")).isEqualTo("example.com");

        XmlElement message = parse("  <message xmlns='jabber:client' to='a@b'><body>caf\u00e9 &amp; more</body></message>\n");
        assertThat(message.childText("body", "jabber:client")).hasValue("caf\u00e9 & more");
    }

    @Test
    void acceptsAnXmlDeclarationButOnlyUtf8() {
        assertThat(parse("<?xml version='1.0' encoding='UTF-8'?><close xmlns='urn:x'/>").name()).isEqualTo("close");
        assertFails("<?xml version='1.0' encoding='ISO-8859-1'?><close xmlns='urn:x'/>", StreamErrorCondition.UNSUPPORTED_ENCODING);
    }

    @Test
    void refusesAnythingButExactlyOneElement() {
        assertFails("<a xmlns='urn:x'/><b xmlns='urn:x'/>", StreamErrorCondition.NOT_WELL_FORMED);
        assertFails("", StreamErrorCondition.NOT_WELL_FORMED);
        assertFails("   ", StreamErrorCondition.NOT_WELL_FORMED);
        assertFails("<a xmlns='urn:x'>", StreamErrorCondition.NOT_WELL_FORMED);
        assertFails("text <a xmlns='urn:x'/>", StreamErrorCondition.BAD_FORMAT);
    }

    @Test
    void markupCannotEscapeTheDocument() {
        assertFails("<a xmlns='urn:x'/></document><document>", StreamErrorCondition.NOT_WELL_FORMED);
        assertFails("</document>", StreamErrorCondition.NOT_WELL_FORMED);
    }

    @Test
    void restrictedXmlAndLimitsApplyAsOnAStream() {
        assertFails("<!DOCTYPE a [<!ENTITY x 'y'>]><a xmlns='urn:x'>&x;</a>", StreamErrorCondition.NOT_WELL_FORMED);
        assertFails("<a xmlns='urn:x'><!-- hi --></a>", StreamErrorCondition.RESTRICTED_XML);
        assertFails("<a xmlns='urn:x'>&foo;</a>", StreamErrorCondition.RESTRICTED_XML);
        assertFails("<a xmlns='urn:x'>" + "x".repeat(2000) + "</a>", StreamErrorCondition.POLICY_VIOLATION);
        assertFails("<a xmlns='urn:x'><b><c><d><e/></d></c></b></a>", StreamErrorCondition.POLICY_VIOLATION);
    }
}
