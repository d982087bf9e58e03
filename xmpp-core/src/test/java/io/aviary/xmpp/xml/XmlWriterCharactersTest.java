package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The writer never emits a character outside XML 1.0's {@code Char} production (§2.2): whatever slipped
 * past the parser or came from code must not end a recipient's stream.
 */
class XmlWriterCharactersTest {

    static XmlElement messageWithBody(String body) {
        return XmlElement.builder("message", "jabber:client").child(XmlElement.builder("body", "jabber:client").text(body).build()).build();
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x0, 0x1, 0x8, 0xB, 0xC, 0x1F, 0xFFFE, 0xFFFF, 0xD800, 0xDFFF})
    void nonXmlCharactersInTextAreRefused(int c) {
        String text = "a" + (char) c + "b";
        assertThatThrownBy(() -> XmlWriter.write(messageWithBody(text), "jabber:client"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.format("U+%04X", c));
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x0, 0x1B, 0xFFFE, 0xDC00})
    void nonXmlCharactersInAttributesAreRefused(int c) {
        XmlElement element = XmlElement.empty("message", "jabber:client").withAttribute("id", "x" + (char) c);
        assertThatThrownBy(element::toXml).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XmlWriter.escape("x" + (char) c)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSurrogatePairInTheWrongOrderIsRefused() {
        assertThatThrownBy(() -> XmlWriter.write(messageWithBody("\uDE00\uD83D"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKindOfValidCharacterIsWritten() {
        String text = "\t\n a é € 中文 😀 \uD7FF \uE000 \uFFFD \uDBFF\uDFFF";
        String xml = XmlWriter.write(messageWithBody(text), "jabber:client");
        assertThat(xml).isEqualTo("<message><body>" + text.replace("\r", "&#13;") + "</body></message>");
        assertThat(XmlFragment.parse(messageWithBody(text).toXml()).childText("body", "jabber:client")).contains(text);
    }

    @Test
    void markupIsEscapedWhereverItStandsInARun() {
        String text = "&a<b>\"c'\r\t\n" + "x".repeat(40) + "&";
        assertThat(XmlWriter.write(messageWithBody(text), "jabber:client")).isEqualTo("<message><body>&amp;a&lt;b&gt;\"c'&#13;\t\n"
                + "x".repeat(40) + "&amp;</body></message>");
        XmlElement attributed = XmlElement.empty("message", "jabber:client").withAttribute("id", text);
        assertThat(XmlWriter.write(attributed, "jabber:client")).isEqualTo("<message id=\"&amp;a&lt;b&gt;&quot;c&apos;&#13;&#9;&#10;"
                + "x".repeat(40) + "&amp;\"/>");
        assertThat(XmlFragment.parse(attributed.toXml()).attributeOrNull("id")).isEqualTo(text);
        assertThat(XmlFragment.parse(messageWithBody(text).toXml()).childText("body", "jabber:client")).contains(text);
    }
}
